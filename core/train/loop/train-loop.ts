/**
 * The training loop: a U-Net trained with Adam and a learning-rate schedule on random tiles of the
 * training images, validated every epoch on whole validation images, checkpointed every epoch, with
 * the best epoch chosen by the stop metric (never pixel accuracy), early stopping with patience, a
 * wall-clock budget, seeded randomness and cancellation between batches. It owns its tensors: every
 * batch runs in tf.tidy and everything it creates is disposed when it returns.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { Worker } from 'node:worker_threads'
import type * as tfl from '@tensorflow/tfjs-layers'
import type { EpochMetrics, TrainConfig, TrainProgress } from '../../contract'
import { computeScores } from '../metrics'
import { createUNet } from '../model/unet'
import type { ModelInit } from '../ssl/init'
import { withDecoderFeatures } from '../ssl/pixel-contrast'
import { batchInputs } from '../parallel/gradients'
import { ReplicaPool } from '../parallel/replica-pool'
import { pipelineForConfig } from '../pipeline/from-config'
import { buildBatch, augmentsFor } from './batch'
import { deserialiseModel, restoreOptimizer, serialiseModel, serialiseOptimizer } from './checkpoint'
import { learningRateAt } from './config'
import type { TrainingSource } from './data-source'
import { createObjective, type Objective } from './objective'
import { prepareData, type PreparedData } from './prepare'
import { mixSeed, Rng, seedMathRandom } from './rng'
import { tilesPerEpoch, UniformSampler, type TileSampler } from './sampler'
import { improves, ScheduledAdam, type CheckpointData, type LoopState, type ModelSpec, type ResumeFrom } from './state'
import { validate } from './validate'

export interface TrainLoopOptions {
  runId: number
  config: TrainConfig
  source: TrainingSource
  /** Aborting stops the run within the current batch; the last checkpoint stays. */
  signal?: AbortSignal
  resume?: ResumeFrom | null
  onProgress?: (progress: TrainProgress) => void
  onEpoch?: (metrics: EpochMetrics, state: LoopState) => void
  /** Stores an epoch's checkpoint; the loop waits for it before the next epoch. */
  saveCheckpoint?: (checkpoint: CheckpointData) => Promise<void> | void
  /** Initial weights of a new (not resumed) run, e.g. a pretrained encoder (core/train/ssl/init). */
  init?: ModelInit | null
  /**
   * Threads training on shares of every batch (core/train/parallel); > 1 only on the wasm and cpu
   * backends. Default 1: the whole batch on this thread.
   */
  workers?: number
  /** Starts a replica thread (tests; default core/train/parallel's worker). */
  spawnReplica?: () => Worker
  /** Told when the run trains on fewer threads than `workers` asked for, with the reason. */
  onWorkers?: (workers: number, reason: string) => void
  /** Replaces the rare-class pipeline by this sampler with uniform-style tiles and flips (tests, experiments). */
  createSampler?: (data: PreparedData, config: TrainConfig) => TileSampler
}

export type StopReason = 'epochs' | 'patience' | 'time' | 'cancelled'

export interface TrainLoopResult {
  status: 'completed' | 'cancelled'
  stopReason: StopReason
  state: LoopState
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/**
 * The U-Net of a run. Batch-norm moving statistics average over about one epoch of batches (momentum
 * 1 − 2/(batches + 1), within 0.6..0.99): Keras' fixed 0.99 needs hundreds of steps, which a small
 * project's short epochs never reach, and validation would run on statistics of the random init.
 */
function modelSpec(config: TrainConfig, channels: number, numClasses: number, batches: number): ModelSpec {
  const m = config.model
  const batchNormMomentum = Math.min(0.99, Math.max(0.6, 1 - 2 / (batches + 1)))
  return { inChannels: channels, numClasses, depth: m.depth as 3 | 4 | 5, baseFilters: m.baseFilters, dropout: m.dropout, batchNorm: m.batchNorm, batchNormMomentum, auxBoundaryHead: config.loss.boundaryHead }
}

/** One optimisation step on a batch on this thread alone; returns the loss value. */
function trainStep(model: tfl.LayersModel, optimizer: ScheduledAdam, objective: Objective, vars: tf.Variable[], batch: ReturnType<typeof buildBatch>, withBoundary: boolean): number {
  objective.observe(batch.labels)
  return tf.tidy(() => {
    const { x, y, b } = batchInputs(batch, withBoundary)
    const loss = optimizer.minimize(() => objective.loss(model.apply(x, { training: true }) as tf.Tensor | tf.Tensor[], y, b), true, vars)
    return loss ? loss.dataSync()[0] : NaN
  })
}

/** Runs (or resumes) a training run to completion, early stop, time budget or cancellation. */
export async function runTrainingLoop(opts: TrainLoopOptions): Promise<TrainLoopResult> {
  const { config, runId, signal } = opts
  const progress = (p: Omit<TrainProgress, 'runId' | 'epochs'>): void => opts.onProgress?.({ runId, epochs: config.epochs, ...p })
  const resume = opts.resume ?? null
  progress({ phase: 'preparing', epoch: resume?.state.epoch ?? 0, batch: 0, batches: 0, loss: null, imagesPerSecond: null, etaSeconds: null, message: 'loading labeled images' })
  const init = resume ? null : (opts.init ?? null)
  const fixed = resume
    ? { channels: resume.state.model.inChannels, normalisation: resume.state.normalisation }
    : init?.channels && init.normalisation ? { channels: init.channels, normalisation: init.normalisation } : undefined
  const data = await prepareData(opts.source, config, fixed)
  const numClasses = data.classes.length
  const batches = Math.max(1, Math.ceil(tilesPerEpoch(data.train, config.tileSize) / config.batchSize))
  const spec = resume?.state.model ?? modelSpec(config, data.channels, numClasses, batches)
  const model = resume ? await deserialiseModel(resume.model) : createUNet({ ...spec, seed: config.seed })
  if (init) await init.apply(model)
  const optimizer = new ScheduledAdam(config.learningRate)
  if (resume?.optimizer) await restoreOptimizer(optimizer, resume.optimizer)
  const objective = createObjective(config, numClasses, data.classWeights, spec.baseFilters)
  // With the pixel-contrastive loss the step also needs the decoder features (same layers, one more output).
  const stepModel = config.loss.pixelContrast > 0 ? withDecoderFeatures(model) : model
  const vars = [...model.trainableWeights.map((w) => w.read() as tf.Variable), ...objective.variables]
  const sampler = opts.createSampler ? opts.createSampler(data, config) : new UniformSampler(data.train, config.tileSize)
  const augments = augmentsFor(config.augment)
  // Without a custom sampler, batches come from the rare-class pipeline (sampling, crops, copy-paste, augmentation per config).
  const pipeline = opts.createSampler ? null : pipelineForConfig(data.train, config, numClasses, batches * config.batchSize)
  const state: LoopState = resume?.state ?? {
    epoch: 0, epochs: [], best: null, sinceBest: 0, elapsedSeconds: 0, classes: data.classes,
    normalisation: data.normalisation, tileSize: config.tileSize, model: spec,
    split: { train: data.split.train, validation: data.split.validation },
  }
  let stopReason: StopReason = 'epochs'
  const backendName = tf.getBackend()
  let pool: ReplicaPool | null = null
  if ((opts.workers ?? 1) > 1 && (backendName === 'wasm' || backendName === 'cpu')) {
    try {
      pool = await ReplicaPool.start({ workers: opts.workers ?? 1, backend: backendName, spec, config, numClasses, classWeights: data.classWeights, spawn: opts.spawnReplica })
    } catch (err) {
      // Threads are a speed-up, not a requirement (e.g. a packaged app whose bundle a worker cannot load): train on this one.
      opts.onWorkers?.(1, `data-parallel threads did not start (${err instanceof Error ? err.message : String(err)}); training on one thread`)
    }
  }
  const stepParts = { model: stepModel, objective, vars, withBoundary: spec.auxBoundaryHead }
  const random = seedMathRandom(mixSeed(config.seed, 7919))
  try {
    while (state.epoch < config.epochs) {
      const epoch = state.epoch
      const started = performance.now()
      const lr = learningRateAt(config, epoch)
      optimizer.setLearningRate(lr)
      const rng = new Rng(mixSeed(config.seed, epoch + 1))
      random.reseed(mixSeed(config.seed, 100_000 + epoch))
      let lossSum = 0
      for (let b = 0; b < batches; b++) {
        if (signal?.aborted) return { status: 'cancelled', stopReason: 'cancelled', state }
        const batch = pipeline ? pipeline.nextBatch(rng) : buildBatch(sampler, rng, { size: config.tileSize, count: config.batchSize, channels: data.channels, augments })
        lossSum += pool
          ? await pool.step(batch, model, stepParts, optimizer, Math.floor(Math.random() * 2 ** 32))
          : trainStep(stepModel, optimizer, objective, vars, batch, spec.auxBoundaryHead)
        const secs = (performance.now() - started) / 1000
        const perBatch = secs / (b + 1)
        progress({
          phase: 'training', epoch: epoch + 1, batch: b + 1, batches, loss: lossSum / (b + 1),
          imagesPerSecond: ((b + 1) * config.batchSize) / Math.max(secs, 1e-9),
          etaSeconds: perBatch * (batches - b - 1 + batches * (config.epochs - epoch - 1)),
        })
        await tick()
      }
      progress({ phase: 'validating', epoch: epoch + 1, batch: batches, batches, loss: lossSum / batches, imagesPerSecond: null, etaSeconds: null })
      // With replicas, they score a share of the validation tiles with this epoch's weights.
      if (pool) await pool.load(model)
      const many = pool ? { runner: pool.validationRunner({ size: config.tileSize, channels: data.channels, numClasses }), batches: pool.workers * 2 } : undefined
      const val = await validate(model, data.validation, { size: config.tileSize, batch: config.batchSize, numClasses, objective, signal, many })
      if (val.cancelled) return { status: 'cancelled', stopReason: 'cancelled', state }
      const scores = computeScores(val.confusion)
      const seconds = (performance.now() - started) / 1000
      const metrics: EpochMetrics = {
        epoch: epoch + 1,
        trainLoss: lossSum / batches,
        valLoss: val.loss,
        perClass: scores.perClass.map(({ index, iou, dice, precision, recall, f1, support }) => ({ index, iou, dice, precision, recall, f1, support })),
        mIoU: scores.mIoU,
        macroF1: scores.macroF1,
        confusion: val.confusion.toArray(),
        learningRate: lr,
        seconds,
      }
      const value = config.stopMetric === 'valLoss' ? val.loss : scores[config.stopMetric]
      const isBest = improves(config.stopMetric, value, state.best)
      state.epoch = epoch + 1
      state.epochs.push(metrics)
      state.elapsedSeconds += seconds
      if (isBest && value !== null) {
        state.best = { epoch: epoch + 1, metric: config.stopMetric, value }
        state.sinceBest = 0
      } else {
        state.sinceBest++
      }
      progress({ phase: 'saving', epoch: epoch + 1, batch: batches, batches, loss: metrics.trainLoss, imagesPerSecond: null, etaSeconds: null })
      if (opts.saveCheckpoint) {
        const checkpoint: CheckpointData = {
          epoch: epoch + 1, isBest, metric: config.stopMetric, metricValue: value,
          model: await serialiseModel(model), optimizer: await serialiseOptimizer(optimizer), state: structuredClone(state),
        }
        await opts.saveCheckpoint(checkpoint)
      }
      opts.onEpoch?.(metrics, state)
      if (config.patience > 0 && state.sinceBest >= config.patience) {
        stopReason = 'patience'
        break
      }
      if (config.minutes !== null && state.elapsedSeconds >= config.minutes * 60) {
        stopReason = 'time'
        break
      }
    }
    return { status: 'completed', stopReason, state }
  } finally {
    await pool?.close()
    random.restore()
    objective.dispose()
    optimizer.dispose()
    model.dispose()
  }
}
