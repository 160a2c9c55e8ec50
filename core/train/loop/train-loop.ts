/**
 * The training loop: a U-Net trained with Adam on random tiles of the training images, in periods of
 * optimiser steps (one pass over the tiles without a time budget; a few percent of the budget with one,
 * core/train/loop/budget), each followed by validation, calibration of the decision biases and a
 * checkpoint; the best period by the stop metric is kept, never by accuracy. The `auto` preset first
 * races candidate recipes from a shared warm start (core/train/recipe) and continues the winner.
 * Validation and checkpoints use the moving average of the weights when it is on. Seeded randomness,
 * cancellation between steps; every tensor it creates is disposed when it returns.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { Worker } from 'node:worker_threads'
import type { EpochMetrics, RunReport, StopReason, TrainConfig, TrainProgress } from '../../contract'
import type { ModelInit } from '../ssl/init'
import { ReplicaPool } from '../parallel/replica-pool'
import { leadWith, raceCandidates, recipeOf, withRecipe } from '../recipe/candidates'
import { Budget, type BudgetPosition } from './budget'
import { deserialiseModel, restoreOptimizer, serialiseModel, serialiseOptimizer } from './checkpoint'
import { createContender, disposeContender, poolStartedFor, promoteContender, scoreContender, stepContender, type Contender } from './contender'
import type { TrainImage, TrainingSource } from './data-source'
import type { Batch } from './batch'
import { racePhase } from './race-phase'
import { judge, sampleStride, type Judgement } from './judge'
import { prepareData, type PreparedData } from './prepare'
import { mixSeed, Rng, seedMathRandom } from './rng'
import { tilesPerEpoch, type TileSampler } from './sampler'
import { improves, type CheckpointData, type LoopState, type ModelSpec, type ResumeFrom } from './state'
import { decideFlipAveraging, FLIP_CHECK_TILES, keepBetterOfRawAndAverage } from './final-checks'
import { gridTiles } from './validate'
import { startConsistency, type Started } from '../semi'

export interface TrainLoopOptions {
  runId: number
  config: TrainConfig
  source: TrainingSource
  /** Aborting stops the run within the current step; the last checkpoint stays. */
  signal?: AbortSignal
  resume?: ResumeFrom | null
  onProgress?: (progress: TrainProgress) => void
  onEpoch?: (metrics: EpochMetrics, state: LoopState) => void
  /** Told whenever the run's report changes (after the race, at every checkpoint, at the end). */
  onReport?: (report: RunReport) => void
  /** Stores a period's checkpoint; the loop waits for it before going on. */
  saveCheckpoint?: (checkpoint: CheckpointData) => Promise<void> | void
  /** Initial weights of a new (not resumed) run, e.g. a pretrained encoder (core/train/ssl/init). */
  init?: ModelInit | null
  /** Threads training on shares of every batch (core/train/parallel); > 1 only on wasm and cpu. */
  workers?: number
  /** Starts a replica thread (tests; default core/train/parallel's worker). */
  spawnReplica?: () => Worker
  /** Told when the run trains on fewer threads than `workers` asked for, with the reason. */
  onWorkers?: (workers: number, reason: string) => void
  /** The winner of the project's last recipe race: it leads the candidates' prior order (and warms up the race). */
  previousWinner?: string | null
  /** Replaces the rare-class pipeline by this sampler with uniform-style tiles and flips (tests, experiments); no race then. */
  createSampler?: (data: PreparedData, config: TrainConfig) => TileSampler
}

export interface TrainLoopResult {
  status: 'completed' | 'cancelled'
  stopReason: StopReason
  state: LoopState
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** The U-Net of a run; batch-norm momentum averages over about one pass of batches (0.6..0.99). */
function modelSpec(config: TrainConfig, channels: number, numClasses: number, batches: number): ModelSpec {
  const m = config.model
  const batchNormMomentum = Math.min(0.99, Math.max(0.6, 1 - 2 / (batches + 1)))
  return { inChannels: channels, numClasses, depth: m.depth as 3 | 4 | 5, baseFilters: m.baseFilters, dropout: m.dropout, batchNorm: m.batchNorm, batchNormMomentum, auxBoundaryHead: config.loss.boundaryHead }
}

function emptyReport(data: PreparedData): RunReport {
  return { stopReason: null, stopDetail: null, steps: 0, trainSeconds: 0, validationSeconds: 0, validationShare: 0, validation: data.validationSetup, race: null, calibration: null, ema: null, recipe: null }
}

/** Runs (or resumes) a training run to completion, early stop, time budget or cancellation. */
export async function runTrainingLoop(opts: TrainLoopOptions): Promise<TrainLoopResult> {
  const { config, runId, signal } = opts
  const resume = opts.resume ?? null
  let totalPeriods = config.epochs
  const progress = (p: Omit<TrainProgress, 'runId' | 'epochs'>): void => opts.onProgress?.({ runId, epochs: totalPeriods, ...p })
  progress({ phase: 'preparing', epoch: resume?.state.epoch ?? 0, batch: 0, batches: 0, loss: null, imagesPerSecond: null, etaSeconds: null, message: 'loading labeled images' })
  const init = resume ? null : (opts.init ?? null)
  const fixed = resume
    ? { channels: resume.state.model.inChannels, normalisation: resume.state.normalisation }
    : init?.channels && init.normalisation ? { channels: init.channels, normalisation: init.normalisation } : undefined
  const data = await prepareData(opts.source, config, fixed)
  progress({ phase: 'preparing', epoch: resume?.state.epoch ?? 0, batch: 0, batches: 0, loss: null, imagesPerSecond: null, etaSeconds: null, message: 'building the model' })
  const passTiles = tilesPerEpoch(data.train, config.tileSize)
  const stepsPerPass = Math.max(1, Math.ceil(passTiles / config.batchSize))
  const spec = resume?.state.model ?? modelSpec(config, data.channels, data.classes.length, stepsPerPass)
  const state: LoopState = resume?.state ?? {
    epoch: 0, epochs: [], best: null, sinceBest: 0, elapsedSeconds: 0, classes: data.classes,
    normalisation: data.normalisation, tileSize: config.tileSize, model: spec,
    split: { train: data.split.train, validation: data.split.validation },
  }
  state.steps ??= 0
  state.lastProgressStep ??= state.steps
  state.validationSeconds ??= 0
  state.rareClass ??= data.rareClass
  const report: RunReport = state.report ?? emptyReport(data)
  const budget = new Budget(config, stepsPerPass, state.periodSteps)
  const racing = config.preset === 'auto' && !opts.createSampler && !state.recipe
  const candidates = racing ? leadWith(raceCandidates(data.stats), opts.previousWinner ?? null) : []
  const firstConfig = racing ? withRecipe(config, candidates[0].recipe) : state.recipe ? withRecipe(config, state.recipe) : config
  const startedAt = performance.now()
  const baseSeconds = state.elapsedSeconds
  const pos = (): BudgetPosition => ({ steps: state.steps ?? 0, periods: state.epoch, seconds: baseSeconds + (performance.now() - startedAt) / 1000 })
  const sampleEvery = sampleStride(data.validation)
  const rareClass = state.rareClass
  const rng = new Rng(mixSeed(config.seed, 1 + state.epoch))
  const random = seedMathRandom(mixSeed(config.seed, 7919 + state.epoch))
  let pool: ReplicaPool | null = null
  const backendName = tf.getBackend()
  if ((opts.workers ?? 1) > 1 && (backendName === 'wasm' || backendName === 'cpu')) {
    try {
      progress({ phase: 'preparing', epoch: resume?.state.epoch ?? 0, batch: 0, batches: 0, loss: null, imagesPerSecond: null, etaSeconds: null, message: `starting ${(opts.workers ?? 1) - 1} training thread(s)` })
      pool = await ReplicaPool.start({ workers: opts.workers ?? 1, backend: backendName, spec, config: firstConfig, numClasses: data.classes.length, classWeights: data.classWeights, spawn: opts.spawnReplica })
    } catch (err) {
      // Threads are a speed-up, not a requirement (e.g. a packaged app whose bundle a worker cannot load): train on this one.
      opts.onWorkers?.(1, `data-parallel threads did not start (${err instanceof Error ? err.message : String(err)}); training on one thread`)
    }
  }
  let main: Contender | null = null
  // Smoothed seconds per step, leaving out the first (slow) steps, for the time-left estimate.
  let stepSeconds: number | null = null
  let lastLoss = 0
  // Consistency training on the unlabeled images (core/train/semi), set up once the main model is known.
  let semi: Started | null = null
  const semiRng = new Rng(mixSeed(config.seed, 31_337 + state.epoch))
  const fraction = (): number => (budget.mode === 'time' ? pos().seconds / Math.max(1e-3, budget.totalSeconds as number) : (state.steps ?? 0) / Math.max(1, config.epochs * budget.periodSteps))
  const trainSteps = async (c: Contender, steps: number, label: { epoch: number; message?: string }): Promise<{ loss: number; done: number } | null> => {
    let lossSum = 0
    let done = 0
    for (let b = 0; b < steps; b++) {
      if (signal?.aborted) return null
      if (budget.mode === 'time' && budget.exhausted(pos())) break
      const t0 = performance.now()
      const mix = semi && c === main ? (batch: Batch) => (semi as Started).semi.mix(batch, semiRng, c, fraction()) : undefined
      lossSum += await stepContender(c, rng, budget.rate(pos()), pool, data, mix)
      state.steps = (state.steps ?? 0) + 1
      done++
      const dt = (performance.now() - t0) / 1000
      if (state.steps > 2) stepSeconds = stepSeconds === null ? dt : 0.9 * stepSeconds + 0.1 * dt
      const eta = budget.mode === 'time' ? Math.max(0, (budget.totalSeconds as number) - pos().seconds) : stepSeconds === null ? null : stepSeconds * Math.max(0, config.epochs * budget.periodSteps - state.steps)
      progress({ phase: 'training', epoch: label.epoch, batch: b + 1, batches: steps, loss: lossSum / done, imagesPerSecond: stepSeconds ? config.batchSize / stepSeconds : null, etaSeconds: eta, message: label.message })
      await tick()
    }
    // A period cut to no step by the time budget reports the last loss measured (never NaN, which JSON stores as null).
    if (done > 0) lastLoss = lossSum / done
    return { loss: lastLoss, done }
  }
  const judged = async (c: Contender, images?: readonly TrainImage[]): Promise<{ j: Judgement; loss: number | null; seconds: number } | null> => {
    const t0 = performance.now()
    const val = await scoreContender(c, data, pool, { averaged: c.ema !== null, sampleEvery: images ? 1 : sampleEvery, signal, images })
    if (val.cancelled) return null
    const seconds = (performance.now() - t0) / 1000
    state.validationSeconds = (state.validationSeconds ?? 0) + seconds
    return { j: judge(val, config, rareClass), loss: val.loss, seconds }
  }
  try {
    if (racing) {
      const raced = await racePhase({
        config, data, spec, candidates, init, pool, budget,
        left: () => (budget.mode === 'time' ? Math.max(0, (budget.totalSeconds as number) - pos().seconds) : config.epochs * budget.periodSteps - (state.steps ?? 0)),
        steps: () => state.steps ?? 0,
        trainSteps: (c, steps, message) => trainSteps(c, steps, { epoch: 0, message }),
        score: async (c, images) => {
          const v = await judged(c, images)
          return v ? { value: v.j.value ?? 0, seconds: v.seconds } : null
        },
        onRung: (message, rung) => progress({ phase: 'validating', epoch: 0, batch: rung, batches: rung, loss: null, imagesPerSecond: null, etaSeconds: null, message }),
      })
      if (!raced) return { status: 'cancelled', stopReason: 'cancelled', state }
      main = raced.winner
      promoteContender(main, withRecipe(config, raced.recipe), data, passTiles)
      state.recipe = raced.recipe
      const race = raced.race
      report.race = race
      report.recipe = raced.recipe
      opts.onReport?.(report)
    } else {
      const from = resume ? await deserialiseModel(resume.model) : undefined
      main = createContender({ key: 'main', config: firstConfig, data, spec, passTiles, from, sampler: opts.createSampler?.(data, firstConfig) })
      from?.dispose()
      if (init) await init.apply(main.model)
      if (resume?.optimizer) await restoreOptimizer(main.optimizer, resume.optimizer)
      if (pool) poolStartedFor(pool, 'main')
      report.recipe = state.recipe ?? recipeOf(config)
    }
    if (config.semi && !opts.createSampler) {
      progress({ phase: 'preparing', epoch: state.epoch, batch: 0, batches: 0, loss: null, imagesPerSecond: null, etaSeconds: null, message: 'reading unlabeled images for consistency training' })
      semi = await startConsistency({ source: opts.source, data, spec, config, signal })
      report.semi = semi ? semi.semi.report(semi.images, semi.note) : null
    }
    let stopReason: StopReason = budget.mode === 'time' ? 'time' : 'epochs'
    let bestSaved: CheckpointData | null = null
    let retuned = state.periodSteps !== undefined
    // At least one period is validated and checkpointed, even when the race spent the whole budget.
    while (state.epoch === 0 || state.epochs.length === 0 || !budget.exhausted(pos())) {
      const epoch = state.epoch + 1
      const t0 = performance.now()
      random.reseed(mixSeed(config.seed, 100_000 + epoch))
      const trained = await trainSteps(main, budget.periodSteps, { epoch })
      if (!trained) return { status: 'cancelled', stopReason: 'cancelled', state }
      if (trained.done === 0 && state.best !== null) break
      progress({ phase: 'validating', epoch, batch: trained.done, batches: budget.periodSteps, loss: trained.loss, imagesPerSecond: null, etaSeconds: null })
      const v = await judged(main)
      if (!v) return { status: 'cancelled', stopReason: 'cancelled', state }
      const { j } = v
      const metrics: EpochMetrics = {
        epoch, trainLoss: trained.loss, valLoss: v.loss,
        perClass: j.scores.perClass.map(({ index, iou, dice, precision, recall, f1, support }) => ({ index, iou, dice, precision, recall, f1, support })),
        mIoU: j.scores.mIoU, macroF1: j.scores.macroF1, confusion: j.confusion.toArray(), learningRate: budget.rate(pos()), seconds: (performance.now() - t0) / 1000,
      }
      const isBest = improves(config.stopMetric, j.value, state.best)
      const lossImproved = v.loss !== null && (state.bestValLoss === undefined || state.bestValLoss === null || v.loss < state.bestValLoss - 1e-4)
      if (lossImproved) state.bestValLoss = v.loss
      if (isBest && j.value !== null) {
        state.best = { epoch, metric: config.stopMetric, value: j.value }
        state.sinceBest = 0
      } else {
        state.sinceBest++
      }
      if (isBest || lossImproved) state.lastProgressStep = state.steps
      state.epoch = epoch
      state.epochs.push(metrics)
      state.elapsedSeconds = pos().seconds
      if (!retuned && budget.mode === 'time' && stepSeconds !== null) {
        budget.retune(pos(), stepSeconds, v.seconds)
        // Time for the final checks: one more validation, and the flip check's five passes over 16 tiles on one thread.
        const perTile = v.seconds / Math.max(1, data.validation.reduce((a, img) => a + gridTiles(img, config.tileSize).length, 0))
        budget.reserveSeconds = (main.ema ? v.seconds : 0) + 5 * FLIP_CHECK_TILES * perTile * (pool?.workers ?? 1)
        retuned = true
        totalPeriods = state.epoch + Math.ceil(Math.max(0, (budget.totalSeconds as number) - pos().seconds) / Math.max(1e-3, budget.periodSteps * stepSeconds + v.seconds))
      }
      state.periodSteps = budget.periodSteps
      if (j.bias) state.calibration = j.bias
      if (semi) {
        semi.semi.observe(j.scores.perClass.map((c) => (c.support > 0 || c.precision > 0 ? c.precision : null)), state.calibration ?? null, fraction())
        report.semi = semi.semi.report(semi.images, semi.note)
      }
      if (isBest && j.bias) report.calibration = { bias: j.bias, metric: config.stopMetric, before: j.uncalibrated ?? j.value ?? 0, after: j.value ?? 0, pixels: j.confusion.total }
      Object.assign(report, accountFor(state, pos().seconds))
      state.report = report
      progress({ phase: 'saving', epoch, batch: trained.done, batches: budget.periodSteps, loss: trained.loss, imagesPerSecond: null, etaSeconds: null })
      if (opts.saveCheckpoint) {
        const c = main
        const model = c.ema ? await c.ema.withAveraged(c.model, () => serialiseModel(c.model)) : await serialiseModel(c.model)
        const checkpoint: CheckpointData = { epoch, isBest, metric: config.stopMetric, metricValue: j.value, model, optimizer: await serialiseOptimizer(c.optimizer), state: structuredClone(state) }
        await opts.saveCheckpoint(checkpoint)
        if (isBest) bestSaved = checkpoint
      }
      opts.onEpoch?.(metrics, state)
      opts.onReport?.(report)
      const early = budget.earlyStop(pos(), state.lastProgressStep ?? 0)
      if (early) {
        stopReason = 'patience'
        report.stopDetail = early
        break
      }
    }
    report.stopReason = stopReason
    report.stopDetail ??= stopReason === 'time' ? `the ${config.minutes} minute budget was spent` : `all ${config.epochs} epochs ran`
    if (opts.saveCheckpoint) {
      const final = { data, pool, sampleEvery, config, signal, save: opts.saveCheckpoint }
      if (main.ema && state.best) bestSaved = (await keepBetterOfRawAndAverage(main, state, report, final)) ?? bestSaved
      if (bestSaved && !signal?.aborted) await decideFlipAveraging(bestSaved, main, state, report, final)
    }
    if (semi) report.semi = semi.semi.report(semi.images, semi.note)
    Object.assign(report, accountFor(state, pos().seconds))
    state.report = report
    opts.onReport?.(report)
    return { status: 'completed', stopReason, state }
  } finally {
    await pool?.close()
    semi?.semi.dispose()
    random.restore()
    if (main) disposeContender(main)
  }
}

/** The report's budget figures from the loop state. */
function accountFor(state: LoopState, seconds: number): Pick<RunReport, 'steps' | 'trainSeconds' | 'validationSeconds' | 'validationShare'> {
  const val = state.validationSeconds ?? 0
  return { steps: state.steps ?? 0, trainSeconds: seconds, validationSeconds: val, validationShare: seconds > 0 ? val / seconds : 0 }
}
