/**
 * Messages between the training loop and its data-parallel replicas (worker threads, replica-worker.ts).
 * Plain data only: typed arrays travel as transferred buffers, never tensors.
 */
import type { TrainConfig } from '../../contract'
import type { BackendName } from '../backend'
import type { ModelSpec } from '../loop/state'

/** Sets a replica up: its backend, the model of the run and the run's objective. */
export interface ReplicaInit {
  type: 'init'
  /** Replica number (1, 2, … — the loop's own thread is replica 0); mixed into its random seed. */
  replica: number
  backend: BackendName
  spec: ModelSpec
  /** The run's config (builds the objective); null for a replica that only predicts. */
  config: TrainConfig | null
  numClasses: number
  /** Static class weights of the run (null: none). */
  classWeights: number[] | null
}

/** One share of a batch to compute gradients for, with the weights to compute them at. */
export interface ReplicaStep {
  type: 'step'
  /** Every model weight (trainable and batch-norm statistics, in `model.weights` order), then the objective's variables. */
  weights: Float32Array[]
  /** Class weights in force for this batch (dynamic weights follow the loop's running estimate). */
  classWeights: number[] | null
  /** Seed of this step's dropout masks. */
  randomSeed: number
  size: number
  count: number
  channels: number
  pixels: Float32Array
  labels: Int32Array
}

/** Loads fixed weights (the model's, in `model.weights` order) for prediction. */
export interface ReplicaLoad {
  type: 'load'
  weights: Float32Array[]
}

/** Tile batches to predict: softmax probabilities of each, averaged over flips (`tta`) and `passes` MC-dropout passes. */
export interface ReplicaPredict {
  type: 'predict'
  size: number
  channels: number
  tta: boolean
  passes: number
  batches: { pixels: Float32Array; count: number }[]
}

/** Validation batches to score with the loaded weights and the run's objective (training replicas only). */
export interface ReplicaValidate {
  type: 'validate'
  size: number
  channels: number
  numClasses: number
  batches: { pixels: Float32Array; labels: Int32Array; count: number }[]
  /** > 0: also return the log-probabilities of every sampleEvery-th labeled pixel (calibration). */
  sampleEvery: number
}

/** Rebuilds a training replica's objective for another recipe (the recipe race of the auto preset). */
export interface ReplicaConfigure {
  type: 'configure'
  config: TrainConfig
  classWeights: number[] | null
}

/**
 * Starts the replica's backend ahead of its `init` (a prewarmed thread, see prewarmReplicas): it loads
 * while the loop still prepares. No reply; a failure shows again, and is answered, at `init`.
 */
export interface ReplicaWarm {
  type: 'warm'
  backend: BackendName
}

export type ToReplica = ReplicaWarm | ReplicaInit | ReplicaStep | ReplicaLoad | ReplicaPredict | ReplicaValidate | ReplicaConfigure | { type: 'close' }

export type FromReplica =
  | { type: 'ready'; device: string }
  /** The share's loss and the gradient of every trainable variable (null where it has none), in the loop's variable order. */
  | { type: 'grads'; loss: number; grads: (Float32Array | null)[] }
  | { type: 'loaded' }
  /** Confusion counts (row-major, true × predicted) and the losses of the labeled batches of a `validate`. */
  | { type: 'scores'; counts: Float64Array; losses: number[]; logp: Float32Array; sampleLabels: Uint8Array }
  | { type: 'configured' }
  /** Probabilities of each batch of a `predict`, in order ([count, size, size, classes] each). */
  | { type: 'probs'; probs: Float32Array[] }
  | { type: 'error'; message: string }
