/**
 * Data-parallel training and prediction on CPU. Training: the loop's thread and N−1 replica worker
 * threads (replica-worker.ts) each compute the gradients of a share of every batch, the loop averages
 * them (weighted by tiles) and applies them with its optimizer, and the replicas load the new weights
 * with their next share. Prediction: the replicas hold a trained model's weights and predict a share of
 * each band's tiles (`tileRunner`). tfjs'
 * wasm backend runs single-threaded under Node; this uses the other cores for every kernel, not only
 * convolutions. Batch-norm statistics are per share (as in PyTorch's DistributedDataParallel without
 * SyncBatchNorm) and the moving averages kept are the loop thread's.
 */
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import { AppError, type TrainConfig } from '../../contract'
import type { BackendName } from '../backend'
import type { Batch } from '../loop/batch'
import type { TileBatchRunner } from '../loop/predict'
import type { ValidationBatch, ValidationRunner } from '../loop/validate'
import type { ModelSpec } from '../loop/state'
import { applyGradients, averageShares, shareGradients, splitBatch, weightSnapshot, type ShareGradients, type StepModel } from './gradients'
import { evenCounts, shareTiles, splitLike } from './shares'
import type { FromReplica, ReplicaStep, ToReplica } from './protocol'

const HERE = dirname(fileURLToPath(import.meta.url))

/**
 * How to start a replica thread: the bundled `replica.js` beside the trainer bundle (or its chunk's
 * parent folder) when it exists, else replica-worker.ts through replica-boot.mjs (tsx).
 */
function startReplica(): Worker {
  for (const bundled of [join(HERE, 'replica.js'), join(HERE, '..', 'replica.js')]) {
    if (existsSync(bundled)) return new Worker(bundled)
  }
  return new Worker(join(HERE, 'replica-boot.mjs'), { workerData: { entry: pathToFileURL(join(HERE, 'replica-worker.ts')).href } })
}

/** Replica threads started ahead of a pool (prewarmReplicas), oldest first. */
const warm: Worker[] = []

/**
 * Starts replica threads before a pool needs them, up to `count` waiting: each loads its modules and
 * starts `backend` while the trainer is still reading images and building the model, which otherwise
 * happens after, in ReplicaPool.start (seconds per thread, the largest part of a run's preparation).
 * The next pools take them first. A waiting thread does not keep the process alive.
 */
export function prewarmReplicas(count: number, backend: BackendName): void {
  while (warm.length < count) {
    const worker = startReplica()
    worker.postMessage({ type: 'warm', backend } satisfies ToReplica)
    worker.unref()
    worker.once('exit', () => {
      const at = warm.indexOf(worker)
      if (at >= 0) warm.splice(at, 1)
    })
    warm.push(worker)
  }
}

/** Replica threads started ahead and not taken yet. */
export function warmReplicaCount(): number {
  return warm.length
}

/** A prewarmed replica thread when one waits, else a new one. */
function takeReplica(): Worker {
  const worker = warm.shift()
  if (!worker) return startReplica()
  worker.ref()
  return worker
}

/**
 * Runs this thread's share (`local`) while the replicas work on theirs, then waits for every reply
 * (so none is left pending on a live thread) and throws the first failure: this thread's, a replica's,
 * or a reply of another kind than `kind`.
 */
async function alongside<T, K extends FromReplica['type']>(replies: Promise<FromReplica>[], kind: K, local: () => T): Promise<{ own: T; answers: Extract<FromReplica, { type: K }>[] }> {
  let own: T
  try {
    own = local()
  } catch (err) {
    await Promise.allSettled(replies)
    throw err
  }
  const answers: Extract<FromReplica, { type: K }>[] = []
  for (const settled of await Promise.allSettled(replies)) {
    if (settled.status === 'rejected') throw settled.reason
    if (settled.value.type !== kind) throw new AppError('INTERNAL', `training worker replied ${settled.value.type} where ${kind} was expected`)
    answers.push(settled.value as Extract<FromReplica, { type: K }>)
  }
  return { own, answers }
}

/** One replica thread and the reply it owes. */
class ReplicaThread {
  private pending: { resolve: (m: FromReplica) => void; reject: (e: Error) => void } | null = null
  private failure: Error | null = null

  constructor(readonly index: number, private readonly worker: Worker) {
    worker.on('message', (m: FromReplica) => {
      const p = this.pending
      this.pending = null
      if (!p) return
      if (m.type === 'error') p.reject(this.fail(m.message))
      else p.resolve(m)
    })
    worker.on('error', (err) => this.pending?.reject(this.fail(err.message)))
    worker.on('exit', (code) => {
      if (code !== 0 || this.pending) this.pending?.reject(this.fail(`exited with code ${code}`))
      this.pending = null
    })
  }

  private fail(reason: string): Error {
    this.failure ??= new AppError('INTERNAL', `training worker ${this.index} stopped: ${reason}`)
    return this.failure
  }

  /** Posts a message and waits for the replica's reply. */
  request(message: ToReplica, transfer: ArrayBuffer[] = []): Promise<FromReplica> {
    if (this.failure) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject }
      this.worker.postMessage(message, transfer)
    })
  }

  async close(): Promise<void> {
    this.pending = null
    this.worker.postMessage({ type: 'close' } satisfies ToReplica)
    await this.worker.terminate()
  }
}

export interface ReplicaPoolOptions {
  /** Threads in all, the loop's included (≥ 2). */
  workers: number
  backend: BackendName
  spec: ModelSpec
  /** The run's config for training; null for a pool that only predicts. */
  config: TrainConfig | null
  numClasses: number
  classWeights: number[] | null
  /** Starts one replica thread (default: replica-worker.ts, bundled or through tsx). */
  spawn?: () => Worker
}

/** The loop's side of data-parallel training: splits batches, gathers and averages gradients, steps the optimizer. */
export class ReplicaPool {
  private constructor(private readonly replicas: ReplicaThread[]) {}

  /** Starts `workers − 1` replica threads and waits until each has its backend and model. */
  static async start(opts: ReplicaPoolOptions): Promise<ReplicaPool> {
    const spawn = opts.spawn ?? takeReplica
    const threads = Array.from({ length: opts.workers - 1 }, (_, i) => new ReplicaThread(i + 1, spawn()))
    try {
      await Promise.all(threads.map((t) => t.request({
        type: 'init', replica: t.index, backend: opts.backend, spec: opts.spec, config: opts.config,
        numClasses: opts.numClasses, classWeights: opts.classWeights,
      })))
      return new ReplicaPool(threads)
    } catch (err) {
      await Promise.all(threads.map((t) => t.close()))
      throw err
    }
  }

  /** Threads in all, the loop's included. */
  get workers(): number {
    return this.replicas.length + 1
  }

  /**
   * One optimisation step on `batch`: the loop's thread computes the first share while the replicas
   * compute theirs; returns the batch's loss. `model` is the base model whose weights the replicas copy.
   */
  async step(batch: Batch, model: tfl.LayersModel, step: StepModel, optimizer: tf.Optimizer, randomSeed: number): Promise<number> {
    const shares = splitBatch(batch, this.workers)
    const weights = weightSnapshot(model, step.objective)
    step.objective.observe(shares[0].labels)
    const classWeights = step.objective.classWeights()
    const replies = shares.slice(1).map((share, i) => {
      const message: ReplicaStep = {
        type: 'step', weights: weights.map((w) => w.slice()), classWeights, randomSeed,
        size: share.size, count: share.count, channels: share.channels, pixels: share.pixels, labels: share.labels,
      }
      const transfer = [share.pixels.buffer as ArrayBuffer, share.labels.buffer as ArrayBuffer, ...message.weights.map((w) => w.buffer as ArrayBuffer)]
      return this.replicas[i].request(message, transfer)
    })
    const { own, answers } = await alongside(replies, 'grads', () => shareGradients(step, shares[0]))
    const results: ShareGradients[] = [own, ...answers.map((a) => ({ loss: a.loss, grads: a.grads }))]
    const avg = averageShares(results, shares.map((s) => s.count))
    applyGradients(optimizer, step.vars, avg.grads)
    return avg.loss
  }

  /** Loads fixed weights (a trained model's) into every replica for `predict`. */
  async load(model: tfl.LayersModel): Promise<void> {
    const weights = weightSnapshot(model, null)
    const replies = await Promise.all(this.replicas.map((r) => {
      const copy = weights.map((w) => w.slice())
      return r.request({ type: 'load', weights: copy }, copy.map((w) => w.buffer as ArrayBuffer))
    }))
    for (const reply of replies) if (reply.type !== 'loaded') throw new AppError('INTERNAL', `training worker replied ${reply.type} to a load`)
  }

  /**
   * A TileBatchRunner over this pool: the tiles of all the batches are cut into one run of consecutive
   * tiles per thread, as equal as possible (whole batches would leave threads idle when a band has few),
   * each run predicted in batches no larger than the largest given; the replicas predict theirs (softmax,
   * flips averaged when `tta`, `passes` MC-dropout passes) while this thread runs the first with `local`.
   * The probabilities come back split as the batches were. Call `load` first.
   */
  tileRunner(params: { size: number; channels: number; tta: boolean; passes: number }): TileBatchRunner {
    return async (batches, local) => {
      const per = params.size * params.size * params.channels
      const runs = shareTiles(batches, this.workers, per)
      const replies = runs.slice(1).map((run, i) => {
        if (run.length === 0) return Promise.resolve<FromReplica>({ type: 'probs', probs: [] })
        return this.replicas[i].request({ type: 'predict', ...params, batches: run }, run.map((b) => b.pixels.buffer as ArrayBuffer))
      })
      const { own, answers } = await alongside(replies, 'probs', () => runs[0].map((b) => local(b.pixels, b.count)))
      const outputs = own.concat(...answers.map((a) => a.probs))
      return splitLike(outputs, batches.map((b) => b.count))
    }
  }

  /**
   * A ValidationRunner over this pool (training replicas, after `load` of the epoch's weights): the
   * batches are shared out in runs of consecutive batches, this thread scoring the first with `local`;
   * the replicas' confusion counts are added to `confusion` and every labeled batch's loss returned.
   */
  /** Switches every replica's objective to `config` (a recipe of the race); the loop's own thread builds its own. */
  async configure(config: TrainConfig, classWeights: number[] | null): Promise<void> {
    const replies = await Promise.all(this.replicas.map((r) => r.request({ type: 'configure', config, classWeights })))
    for (const reply of replies) if (reply.type !== 'configured') throw new AppError('INTERNAL', `training worker replied ${reply.type} to configure`)
  }

  validationRunner(params: { size: number; channels: number; numClasses: number; sampleEvery?: number }): ValidationRunner {
    const sampleEvery = params.sampleEvery ?? 0
    return async (batches, local, confusion, samples) => {
      let start = 0
      const runs: ValidationBatch[][] = evenCounts(batches.length, this.workers).map((n) => batches.slice(start, (start += n)))
      const replies = runs.slice(1).map((run, i) => {
        if (run.length === 0) return Promise.resolve<FromReplica>({ type: 'scores', counts: new Float64Array(confusion.counts.length), losses: [], logp: new Float32Array(0), sampleLabels: new Uint8Array(0) })
        return this.replicas[i].request({ type: 'validate', ...params, sampleEvery, batches: run }, run.flatMap((b) => [b.pixels.buffer as ArrayBuffer, b.labels.buffer as ArrayBuffer]))
      })
      const { own, answers } = await alongside(replies, 'scores', () => runs[0].map((b) => local(b, confusion)).filter((l): l is number => l !== null))
      const losses = [...own]
      for (const a of answers) {
        for (let i = 0; i < a.counts.length; i++) confusion.counts[i] += a.counts[i]
        losses.push(...a.losses)
        if (a.sampleLabels.length > 0) samples.push({ logp: a.logp, labels: a.sampleLabels, classes: params.numClasses })
      }
      return losses
    }
  }

  /** Stops the replica threads. */
  async close(): Promise<void> {
    await Promise.all(this.replicas.map((r) => r.close()))
  }
}

/**
 * Threads of a run: `requested` (TrainConfig.workers) when set, else one per core up to 4 on wasm and 1
 * elsewhere (the native backends use every core themselves; the cpu backend is a last resort). Never
 * more than the batch has tiles, and always ≥ 1.
 */
export function resolveWorkers(requested: number, backend: string, batchSize: number, cores: number): number {
  if (backend !== 'wasm' && backend !== 'cpu') return 1
  const byBatch = Math.max(1, batchSize)
  if (requested > 0) return Math.min(requested, byBatch)
  if (backend !== 'wasm') return 1
  return Math.max(1, Math.min(cores, 4, Math.floor(byBatch / 2) || 1))
}
