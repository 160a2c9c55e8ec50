/**
 * One recipe in training: a model with its optimiser, objective, batch pipeline and moving average of
 * the weights. A plain run trains one contender; the `auto` preset's race trains several from the same
 * warm start and continues the winner. Stepping and scoring go through the run's data-parallel pool
 * when there is one (its replicas are switched to the contender's objective when it changes).
 */
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import type { TrainConfig } from '../../contract'
import { createUNet } from '../model/unet'
import { withDecoderFeatures } from '../ssl/pixel-contrast'
import { batchInputs } from '../parallel/gradients'
import type { ReplicaPool } from '../parallel/replica-pool'
import { pipelineForConfig } from '../pipeline/from-config'
import type { TrainingPipeline } from '../pipeline/batch-builder'
import { augmentsFor, buildBatch, type Batch } from './batch'
import { createObjective, type Objective } from './objective'
import { classWeightsFor, type PreparedData } from './prepare'
import type { Rng } from './rng'
import type { TrainImage } from './data-source'
import type { TileSampler } from './sampler'
import { ScheduledAdam, type ModelSpec } from './state'
import { validate, type ValidationResult } from './validate'
import { WeightAverage } from './ema'

export interface Contender {
  key: string
  config: TrainConfig
  model: tfl.LayersModel
  stepModel: tfl.LayersModel
  optimizer: ScheduledAdam
  objective: Objective
  vars: tf.Variable[]
  classWeights: number[] | null
  pipeline: TrainingPipeline | null
  sampler: TileSampler | null
  ema: WeightAverage | null
  steps: number
  withBoundary: boolean
  /** Set once disposed (disposing twice is a no-op). */
  disposed?: boolean
}

export interface ContenderSetup {
  key: string
  config: TrainConfig
  data: PreparedData
  spec: ModelSpec
  /** Tiles one pass over the training images draws (the pipeline's epoch length). */
  passTiles: number
  /** Start from these weights (a warm start or a resumed checkpoint's model); else a fresh U-Net. */
  from?: tfl.LayersModel
  /** Replaces the rare-class pipeline (tests, experiments). */
  sampler?: TileSampler
}

/** Builds a contender; the model is a copy of `from`'s weights when given. */
export function createContender(s: ContenderSetup): Contender {
  const model = createUNet({ ...s.spec, seed: s.config.seed })
  if (s.from) model.setWeights(s.from.getWeights())
  const classWeights = classWeightsFor(s.data, s.config.loss.classWeights)
  const objective = createObjective(s.config, s.data.classes.length, classWeights, s.spec.baseFilters)
  const stepModel = s.config.loss.pixelContrast > 0 ? withDecoderFeatures(model) : model
  return {
    key: s.key, config: s.config, model, stepModel, optimizer: new ScheduledAdam(s.config.learningRate), objective,
    vars: [...model.trainableWeights.map((w) => w.read() as tf.Variable), ...objective.variables],
    classWeights,
    pipeline: s.sampler ? null : pipelineForConfig(s.data.train, s.config, s.data.classes.length, s.passTiles),
    sampler: s.sampler ?? null,
    ema: s.config.ema ? new WeightAverage(model) : null,
    steps: 0,
    withBoundary: s.spec.auxBoundaryHead,
  }
}

/** The pool's replicas train with this contender's objective (null: none configured yet). */
const configuredFor = new WeakMap<ReplicaPool, string>()

/** Declares which contender's objective the pool was started with. */
export function poolStartedFor(pool: ReplicaPool, key: string): void {
  configuredFor.set(pool, key)
}

/** One optimiser step of `c` at learning rate `lr`; returns the batch loss. `mix` may change the batch first (consistency training). */
export async function stepContender(c: Contender, rng: Rng, lr: number, pool: ReplicaPool | null, data: PreparedData, mix?: (batch: Batch) => Batch): Promise<number> {
  c.optimizer.setLearningRate(lr)
  const config = c.config
  const drawn = c.pipeline ? c.pipeline.nextBatch(rng) : buildBatch(c.sampler as TileSampler, rng, { size: config.tileSize, count: config.batchSize, channels: data.channels, augments: augmentsFor(config.augment) })
  const batch = mix ? mix(drawn) : drawn
  let loss: number
  if (pool) {
    if (configuredFor.get(pool) !== c.key) {
      await pool.configure(config, c.classWeights)
      configuredFor.set(pool, c.key)
    }
    loss = await pool.step(batch, c.model, { model: c.stepModel, objective: c.objective, vars: c.vars, withBoundary: c.withBoundary }, c.optimizer, Math.floor(Math.random() * 2 ** 32))
  } else {
    c.objective.observe(batch.labels)
    loss = tf.tidy(() => {
      const { x, y, b } = batchInputs(batch, c.withBoundary)
      const value = c.optimizer.minimize(() => c.objective.loss(c.stepModel.apply(x, { training: true }) as tf.Tensor | tf.Tensor[], y, b), true, c.vars)
      return value ? value.dataSync()[0] : NaN
    })
  }
  c.ema?.update(c.model)
  c.steps++
  return loss
}

/** Scores `c` on the validation images, or `opts.images` (its averaged weights when `averaged` and it keeps an average). */
export async function scoreContender(c: Contender, data: PreparedData, pool: ReplicaPool | null, opts: { averaged: boolean; sampleEvery: number; signal?: AbortSignal; images?: readonly TrainImage[] }): Promise<ValidationResult> {
  const size = c.config.tileSize
  const run = async (): Promise<ValidationResult> => {
    if (pool) await pool.load(c.model)
    const many = pool ? { runner: pool.validationRunner({ size, channels: data.channels, numClasses: data.classes.length, sampleEvery: opts.sampleEvery }), batches: pool.workers * 2 } : undefined
    return validate(c.model, opts.images ?? data.validation, { size, batch: c.config.batchSize, numClasses: data.classes.length, objective: c.objective, signal: opts.signal, many, sampleEvery: opts.sampleEvery })
  }
  return opts.averaged && c.ema ? c.ema.withAveraged(c.model, run) : run()
}

/** Moves a contender (the race winner, trained on smaller tiles) to the run's own config: same weights, optimiser and objective, new tiles. */
export function promoteContender(c: Contender, config: TrainConfig, data: PreparedData, passTiles: number): void {
  c.config = config
  if (c.pipeline) c.pipeline = pipelineForConfig(data.train, config, data.classes.length, passTiles)
}

export function disposeContender(c: Contender): void {
  if (c.disposed) return
  c.disposed = true
  c.ema?.dispose()
  c.objective.dispose()
  c.optimizer.dispose()
  c.model.dispose()
}
