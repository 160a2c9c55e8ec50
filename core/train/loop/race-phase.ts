/**
 * The `auto` preset's first phase: a shared warm start on half-size tiles with the prior's first
 * recipe, then successive halving over the candidate recipes (core/train/recipe/race), scored on a
 * seeded sample of validation tiles so a rung's scoring costs little. Planned from measured times:
 * the race's training and scoring together take about RACE_SHARE of what is left of the budget; with
 * too little budget the field shrinks, down to the warm start going on alone. The winner keeps its
 * weights, optimiser state and moving average; the caller moves it to the run's own tiles.
 */
import type { RaceReport, RecipeOptions, TrainConfig } from '../../contract'
import type { ReplicaPool } from '../parallel/replica-pool'
import { withRecipe, type RecipeCandidate } from '../recipe/candidates'
import { raceSteps, runRace } from '../recipe/race'
import type { ModelInit } from '../ssl/init'
import type { Budget } from './budget'
import { createContender, disposeContender, poolStartedFor, type Contender } from './contender'
import type { TrainImage } from './data-source'
import type { PreparedData } from './prepare'
import { mixSeed, Rng } from './rng'
import { tilesPerEpoch } from './sampler'
import type { ModelSpec } from './state'
import { gridTiles } from './validate'

/** Share of the remaining budget the recipe race may take (training and scoring). */
export const RACE_SHARE = 0.3
/** Validation tiles (of the race's tile size) a rung scores each candidate on, at most. */
export const RACE_VALIDATION_TILES = 24
/** A rung gives every candidate at least this many steps; fewer candidates race when the budget cannot. */
const MIN_RUNG_STEPS = 3

/**
 * Tile size of the race's trials: half the run's (at least 64), so a trial step costs about a quarter
 * and the candidates get four times the steps to show their difference (the U-Net is fully convolutional).
 */
export function raceTileSize(tileSize: number): number {
  return Math.max(Math.min(64, tileSize), Math.floor(tileSize / 2 / 32) * 32)
}

/** Up to `max` validation tiles of `size`, taken in turn from every image at seeded positions, as small images. */
export function validationSample(images: readonly TrainImage[], size: number, max: number, seed: number): TrainImage[] {
  const rng = new Rng(mixSeed(seed, 97))
  const pools = images.map((img) => rng.shuffle(gridTiles(img, size)))
  const out: TrainImage[] = []
  for (let round = 0; out.length < max && pools.some((p) => p.length > round); round++) {
    for (const [i, picks] of pools.entries()) {
      const pick = picks[round]
      if (!pick || out.length >= max) continue
      const img = images[i]
      const w = Math.min(size, img.width - pick.x)
      const h = Math.min(size, img.height - pick.y)
      const data = new Float32Array(w * h * img.channels)
      const labels = new Uint8Array(w * h)
      for (let y = 0; y < h; y++) {
        const row = (pick.y + y) * img.width + pick.x
        data.set(img.data.subarray(row * img.channels, (row + w) * img.channels), y * w * img.channels)
        labels.set(img.labels.subarray(row, row + w), y * w)
      }
      if (labels.some((l) => l !== 255)) out.push({ ...img, name: `${img.name} @${pick.x},${pick.y}`, width: w, height: h, data, labels })
    }
  }
  return out
}

export interface RacePhaseContext {
  config: TrainConfig
  data: PreparedData
  spec: ModelSpec
  candidates: readonly RecipeCandidate[]
  init: ModelInit | null
  pool: ReplicaPool | null
  budget: Budget
  /** Seconds of the budget left (time mode) or optimiser steps left (steps mode). */
  left: () => number
  steps: () => number
  trainSteps: (c: Contender, steps: number, message: string) => Promise<{ done: number } | null>
  /** The race metric of `c` on `images`, and the seconds it took; null when cancelled. */
  score: (c: Contender, images: readonly TrainImage[]) => Promise<{ value: number; seconds: number } | null>
  onRung: (message: string, rung: number) => void
}

export interface RacePhaseResult {
  winner: Contender
  recipe: RecipeOptions
  race: RaceReport
}

/** Warm start, plan, race; null when cancelled (everything it made is freed). */
export async function racePhase(ctx: RacePhaseContext): Promise<RacePhaseResult | null> {
  const { config, data, spec, candidates } = ctx
  const trial = { ...config, tileSize: raceTileSize(config.tileSize) }
  const trialTiles = tilesPerEpoch(data.train, trial.tileSize)
  const sample = validationSample(data.validation, trial.tileSize, RACE_VALIDATION_TILES, config.seed)
  const warm = createContender({ key: 'warm-up', config: withRecipe(trial, candidates[0].recipe), data, spec, passTiles: trialTiles })
  if (ctx.init) await ctx.init.apply(warm.model)
  if (ctx.pool) poolStartedFor(ctx.pool, 'warm-up')
  const t0 = performance.now()
  const warmed = await ctx.trainSteps(warm, Math.max(4, Math.min(ctx.budget.periodSteps, 12)), `warming up before the recipe race (${candidates.length} candidates)`)
  const perStep = (performance.now() - t0) / 1000 / Math.max(1, warmed?.done ?? 1)
  const probe = warmed ? await ctx.score(warm, sample) : null
  if (!warmed || !probe) {
    disposeContender(warm)
    return null
  }
  // Cost of one rung unit (one candidate's steps plus its scoring), in the budget's own unit.
  const timed = ctx.budget.mode === 'time'
  const share = RACE_SHARE * ctx.left()
  const rungFor = (n: number): number => {
    const units = raceSteps(n, 1)
    return timed ? Math.floor((share / units - probe.seconds) / Math.max(perStep, 1e-3)) : Math.floor(share / units)
  }
  let field = [...candidates]
  while (field.length > 2 && rungFor(field.length) < MIN_RUNG_STEPS) field = field.slice(0, -1)
  if (rungFor(field.length) < 2) field = field.slice(0, 1)
  const rungSteps = Math.max(2, rungFor(field.length))
  const raceStart = performance.now()
  const startSteps = ctx.steps()
  const result = await runRace(field, rungSteps, {
    spawn: async (cand) => (field.length === 1 ? warm : createContender({ key: cand.key, config: withRecipe(trial, cand.recipe), data, spec, passTiles: trialTiles, from: warm.model })),
    train: async (c, steps) => (await ctx.trainSteps(c, steps, `recipe race: ${c.key}`)) !== null,
    score: async (c) => (await ctx.score(c, sample))?.value ?? null,
    drop: disposeContender,
    onRung: (rung, standings) => ctx.onRung(`recipe race, rung ${rung}: ${standings.filter((s) => s.scores.length === rung).map((s) => `${s.key} ${s.scores[rung - 1].toFixed(3)}`).join(', ')}`, rung),
  })
  if (!result || result.winner !== warm) disposeContender(warm)
  if (!result) return null
  const skipped = field.length === 1
    ? `The budget left after the warm-up was too short to race two candidates; the first recipe of the prior order (${field[0].label}) went on alone. Give a longer budget to let the recipes compete.`
    : null
  const trimmed = !skipped && field.length < candidates.length ? ` The budget allowed ${field.length} of the ${candidates.length} candidates (in prior order).` : ''
  const race: RaceReport = {
    metric: config.stopMetric, candidates: result.standings, winner: result.candidate.key, margin: result.margin, clear: result.clear,
    reason: skipped ?? `${result.reason}${trimmed} Scored on ${sample.length} validation tiles of ${trial.tileSize} px.`,
    steps: ctx.steps() - startSteps, seconds: (performance.now() - raceStart) / 1000, warmupSteps: warmed.done,
  }
  return { winner: result.winner, recipe: result.candidate.recipe, race }
}
