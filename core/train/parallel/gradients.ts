/**
 * The arithmetic of data-parallel steps, shared by the loop's own thread and the replicas: the loss and
 * gradients of one share of a batch, their average over shares, and the weight snapshot replicas load.
 */
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import type { Batch } from '../loop/batch'
import { boundaryTargets, type Objective } from '../loop/objective'
import { evenCounts } from './shares'

/** What computes a share's gradients: the model as stepped (maybe with decoder features), its objective and trainable variables. */
export interface StepModel {
  model: tfl.LayersModel
  objective: Objective
  vars: tf.Variable[]
  withBoundary: boolean
}

/** A share's mean loss and the gradient of each variable of `vars` (null where it has none). */
export interface ShareGradients {
  loss: number
  grads: (Float32Array | null)[]
}

/**
 * A batch as the model's input, int32 labels and (with a boundary head) boundary targets and their
 * weights stacked as [B,S,S,2]. Call inside tf.tidy.
 */
export function batchInputs(batch: Batch, withBoundary: boolean): { x: tf.Tensor4D; y: tf.Tensor3D; b: tf.Tensor4D | null } {
  const { size, count, channels } = batch
  const x = tf.tensor4d(batch.pixels, [count, size, size, channels])
  const y = tf.tensor3d(batch.labels, [count, size, size], 'int32')
  if (!withBoundary) return { x, y, b: null }
  const boundary = boundaryTargets(batch.labels, size)
  const b = tf.stack([tf.tensor3d(boundary.target, [count, size, size]), tf.tensor3d(boundary.valid, [count, size, size])], -1) as tf.Tensor4D
  return { x, y, b }
}

/** Forward and backward pass on one share (the caller runs `objective.observe` first); no weight changes except batch-norm statistics. */
export function shareGradients(step: StepModel, batch: Batch): ShareGradients {
  let result: ShareGradients = { loss: NaN, grads: [] }
  tf.tidy(() => {
    const { x, y, b } = batchInputs(batch, step.withBoundary)
    const { value, grads } = tf.variableGrads(() => step.objective.loss(step.model.apply(x, { training: true }) as tf.Tensor | tf.Tensor[], y, b), step.vars)
    result = {
      loss: value.dataSync()[0],
      grads: step.vars.map((v) => {
        const g = grads[v.name] as tf.Tensor | undefined
        return g ? Float32Array.from(g.dataSync() as Float32Array) : null
      }),
    }
  })
  return result
}

/**
 * The batch's loss and gradients from its shares: each share's mean weighted by its tile count, the
 * average a single pass over the whole batch gives when the shares' losses are means of equal kind.
 */
export function averageShares(shares: readonly ShareGradients[], counts: readonly number[]): ShareGradients {
  const total = counts.reduce((s, n) => s + n, 0)
  const variables = shares[0]?.grads.length ?? 0
  const grads: (Float32Array | null)[] = []
  for (let v = 0; v < variables; v++) {
    let sum: Float32Array | null = null
    shares.forEach((share, i) => {
      const g = share.grads[v]
      if (!g) return
      const w = counts[i] / total
      if (!sum) sum = new Float32Array(g.length)
      for (let k = 0; k < g.length; k++) sum[k] += w * g[k]
    })
    grads.push(sum)
  }
  const loss = shares.reduce((s, share, i) => s + (share.loss * counts[i]) / total, 0)
  return { loss, grads }
}

/** Applies averaged gradients with the optimizer (variables without a gradient are left alone). */
export function applyGradients(optimizer: tf.Optimizer, vars: readonly tf.Variable[], grads: readonly (Float32Array | null)[]): void {
  tf.tidy(() => {
    const named: tf.NamedTensorMap = {}
    vars.forEach((v, i) => {
      const g = grads[i]
      if (g) named[v.name] = tf.tensor(g, v.shape, 'float32')
    })
    optimizer.applyGradients(named)
  })
}

/** Every weight a replica must match: the model's (trainable and batch-norm statistics) then the objective's variables. */
export function weightSnapshot(model: tfl.LayersModel, objective: Objective | null): Float32Array[] {
  const tensors = [...model.weights.map((w) => w.read()), ...(objective?.variables ?? [])]
  return tensors.map((t) => Float32Array.from(t.dataSync() as Float32Array))
}

/** Loads a snapshot from `weightSnapshot` into a replica's model and objective (same architecture, same order). */
export function loadSnapshot(model: tfl.LayersModel, objective: Objective | null, snapshot: readonly Float32Array[]): void {
  const modelWeights = model.weights
  const objectiveVars = objective?.variables ?? []
  const expected = modelWeights.length + objectiveVars.length
  if (snapshot.length !== expected) throw new Error(`weight snapshot has ${snapshot.length} arrays, the replica's model and objective have ${expected}`)
  tf.tidy(() => {
    modelWeights.forEach((w, i) => w.write(tf.tensor(snapshot[i], w.read().shape, 'float32')))
    objectiveVars.forEach((v, i) => v.assign(tf.tensor(snapshot[modelWeights.length + i], v.shape, 'float32')))
  })
}

/** Splits a batch into `parts` shares of consecutive tiles, as equal as possible (empty shares dropped). */
export function splitBatch(batch: Batch, parts: number): Batch[] {
  const per = batch.size * batch.size
  let start = 0
  return evenCounts(batch.count, parts).filter((count) => count > 0).map((count) => {
    const share = {
      size: batch.size,
      count,
      channels: batch.channels,
      pixels: batch.pixels.slice(start * per * batch.channels, (start + count) * per * batch.channels),
      labels: batch.labels.slice(start * per, (start + count) * per),
    }
    start += count
    return share
  })
}
