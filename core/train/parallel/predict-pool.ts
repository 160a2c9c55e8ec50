/**
 * Prediction on every core: prediction-only replicas (replica-worker.ts) holding a trained model's
 * weights, each taking a share of every band's tiles (ReplicaPool.tileRunner → predictRows' `many`).
 */
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import { availableParallelism } from 'node:os'
import type { ModelSpec } from '../loop/state'
import { ReplicaPool, resolveWorkers } from './replica-pool'

/**
 * Starts replicas for predicting with `model` (of `spec`) when the backend is wasm or cpu and more than
 * one thread is available (`workers`, default: as training picks for a batch of 8); null otherwise, or
 * when the threads cannot start, and the caller predicts on its own thread.
 */
export async function startPredictPool(model: tfl.LayersModel, spec: ModelSpec, workers = 0): Promise<ReplicaPool | null> {
  const backend = tf.getBackend()
  if (backend !== 'wasm' && backend !== 'cpu') return null
  const n = resolveWorkers(workers, backend, 8, availableParallelism())
  if (n <= 1) return null
  let pool: ReplicaPool
  try {
    pool = await ReplicaPool.start({ workers: n, backend, spec, config: null, numClasses: spec.numClasses, classWeights: null })
  } catch {
    // Threads are a speed-up, not a requirement (e.g. a packaged app whose bundle a worker cannot load).
    return null
  }
  try {
    await pool.load(model)
  } catch (err) {
    await pool.close()
    throw err
  }
  return pool
}
