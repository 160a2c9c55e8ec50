/**
 * What the end of a run decides on validation, with the kept model: whether its own last weights beat
 * the moving average the checkpoints hold, and whether averaging the four flips of every tile at
 * prediction scores better than one pass. Each choice is stored with the model (a new best checkpoint
 * with the same or the last weights and the updated state) only where it measures better.
 */
import type * as tfl from '@tensorflow/tfjs-layers'
import type { RunReport, TrainConfig } from '../../contract'
import type { ReplicaPool } from '../parallel/replica-pool'
import { deserialiseModel, serialiseModel, serialiseOptimizer } from './checkpoint'
import { scoreContender, type Contender } from './contender'
import type { TrainImage } from './data-source'
import { judge } from './judge'
import type { PreparedData } from './prepare'
import { improves, type CheckpointData, type LoopState } from './state'
import { gridTiles, validate } from './validate'

/** Validation tiles the flip check looks at, at most (it runs five forward passes a tile on one thread). */
export const FLIP_CHECK_TILES = 16
/** Flip averaging is kept only when it gains at least this much (it costs four times the prediction time). */
export const FLIP_MIN_GAIN = 0.002

export interface FinalContext {
  data: PreparedData
  pool: ReplicaPool | null
  sampleEvery: number
  config: TrainConfig
  signal?: AbortSignal
  save: (checkpoint: CheckpointData) => Promise<void> | void
}

/** The last weights against the averaged best: returns the new best checkpoint when the last weights win. */
export async function keepBetterOfRawAndAverage(c: Contender, state: LoopState, report: RunReport, ctx: FinalContext): Promise<CheckpointData | null> {
  const val = await scoreContender(c, ctx.data, ctx.pool, { averaged: false, sampleEvery: ctx.sampleEvery, signal: ctx.signal })
  if (val.cancelled || !state.best) return null
  const j = judge(val, ctx.config, state.rareClass ?? 0)
  const rawWins = improves(ctx.config.stopMetric, j.value, state.best)
  report.ema = { used: !rawWins, emaScore: state.best.value, rawScore: j.value }
  if (!rawWins || j.value === null) return null
  state.best = { epoch: state.epoch, metric: ctx.config.stopMetric, value: j.value }
  if (j.bias) {
    state.calibration = j.bias
    report.calibration = { bias: j.bias, metric: ctx.config.stopMetric, before: j.uncalibrated ?? j.value, after: j.value, pixels: j.confusion.total }
  }
  state.report = report
  const checkpoint: CheckpointData = { epoch: state.epoch, isBest: true, metric: ctx.config.stopMetric, metricValue: j.value, model: await serialiseModel(c.model), optimizer: await serialiseOptimizer(c.optimizer), state: structuredClone(state) }
  await ctx.save(checkpoint)
  return checkpoint
}

/** Up to FLIP_CHECK_TILES tiles' worth of validation images (whole images, in order). */
function flipCheckImages(images: readonly TrainImage[], size: number): { images: TrainImage[]; tiles: number } {
  const picked: TrainImage[] = []
  let tiles = 0
  for (const img of images) {
    const n = gridTiles(img, size).length
    if (picked.length > 0 && tiles + n > FLIP_CHECK_TILES) break
    picked.push(img)
    tiles += n
  }
  return { images: picked, tiles }
}

/**
 * Scores the best checkpoint's model on a few validation tiles with and without flip averaging; when
 * flips gain at least FLIP_MIN_GAIN, stores the best checkpoint again with `tta` on (and the biases
 * fitted with flips), so predict, eval and rounds average flips with this model.
 */
export async function decideFlipAveraging(best: CheckpointData, c: Contender, state: LoopState, report: RunReport, ctx: FinalContext): Promise<void> {
  const size = ctx.config.tileSize
  const subset = flipCheckImages(ctx.data.validation, size)
  if (subset.images.length === 0) return
  const model: tfl.LayersModel = await deserialiseModel(best.model)
  try {
    const opts = { size, batch: ctx.config.batchSize, numClasses: ctx.data.classes.length, objective: c.objective, signal: ctx.signal, sampleEvery: 1 }
    const plain = await validate(model, subset.images, opts)
    const flipped = await validate(model, subset.images, { ...opts, tta: true })
    if (plain.cancelled || flipped.cancelled) return
    const rare = state.rareClass ?? 0
    const jp = judge(plain, ctx.config, rare)
    const jf = judge(flipped, ctx.config, rare)
    const better = jp.value !== null && jf.value !== null && improves(ctx.config.stopMetric, jf.value, { epoch: 0, metric: ctx.config.stopMetric, value: jp.value })
    const gain = jp.value !== null && jf.value !== null ? Math.abs(jf.value - jp.value) : 0
    const used = better && gain >= FLIP_MIN_GAIN
    report.tta = { used, plainScore: jp.value, flipScore: jf.value, tiles: subset.tiles }
    state.tta = used
    state.report = report
    // The run's whole state (the stored run reads its epochs from it), with the best model's own biases.
    const next: LoopState = structuredClone(state)
    next.calibration = used && jf.bias ? jf.bias : (best.state.calibration ?? null)
    if (used) await ctx.save({ ...best, state: next })
  } finally {
    model.dispose()
  }
}
