import * as tf from '@tensorflow/tfjs-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TrainConfig } from '../../contract'
import { selectBackend } from '../backend'
import { createObjective } from '../loop/objective'
import { Rng } from '../loop/rng'
import { ScheduledAdam, type ModelSpec } from '../loop/state'
import { createUNet } from '../model/unet'
import { validate } from '../loop/validate'
import { batchInputs } from './gradients'
import { ReplicaPool, resolveWorkers } from './replica-pool'

const config = TrainConfig.parse({ batchSize: 4, tileSize: 32, loss: { name: 'ce', classWeights: 'none' }, seed: 3 })
// No batch norm and no dropout: then the average of the shares' gradients is exactly the whole batch's.
const spec: ModelSpec = { inChannels: 3, numClasses: 3, depth: 3, baseFilters: 8, dropout: 0, batchNorm: false, batchNormMomentum: 0.9, auxBoundaryHead: false }

function randomBatch(count: number, size: number): { size: number; count: number; channels: number; pixels: Float32Array; labels: Int32Array } {
  const rng = new Rng(11)
  return {
    size, count, channels: 3,
    pixels: Float32Array.from({ length: count * size * size * 3 }, () => rng.next() * 2 - 1),
    labels: Int32Array.from({ length: count * size * size }, () => rng.int(3)),
  }
}

function weightsOf(model: ReturnType<typeof createUNet>): Float32Array[] {
  return model.weights.map((w) => Float32Array.from(w.read().dataSync() as Float32Array))
}

describe('data-parallel replica pool', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'wasm' })
  })
  afterAll(() => tf.disposeVariables())

  it('takes the same optimiser step as one thread on the whole batch', async () => {
    const batch = randomBatch(4, 32)
    const run = async (workers: number): Promise<{ loss: number; weights: Float32Array[] }> => {
      const model = createUNet({ ...spec, seed: 5 })
      const objective = createObjective(config, 3, null)
      const optimizer = new ScheduledAdam(1e-2)
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable)
      const step = { model, objective, vars, withBoundary: false }
      let loss: number
      if (workers > 1) {
        const pool = await ReplicaPool.start({ workers, backend: 'wasm', spec, config, numClasses: 3, classWeights: null })
        try {
          expect(pool.workers).toBe(workers)
          loss = await pool.step({ ...batch, pixels: batch.pixels.slice(), labels: batch.labels.slice() }, model, step, optimizer, 1)
          // A second step: the replica must load the weights the first one produced.
          loss = await pool.step({ ...batch, pixels: batch.pixels.slice(), labels: batch.labels.slice() }, model, step, optimizer, 2)
        } finally {
          await pool.close()
        }
      } else {
        const once = (): number => tf.tidy(() => {
          const { x, y } = batchInputs(batch, false)
          return optimizer.minimize(() => objective.loss(model.apply(x, { training: true }) as tf.Tensor, y, null), true, vars)?.dataSync()[0] ?? NaN
        })
        once()
        loss = once()
      }
      const weights = weightsOf(model)
      model.dispose()
      optimizer.dispose()
      return { loss, weights }
    }
    const single = await run(1)
    const parallel = await run(2)
    expect(parallel.loss).toBeCloseTo(single.loss, 4)
    let maxDiff = 0
    single.weights.forEach((w, i) => w.forEach((v, k) => (maxDiff = Math.max(maxDiff, Math.abs(v - parallel.weights[i][k])))))
    expect(maxDiff).toBeLessThan(1e-4)
    // The step moved the weights at all (so equality is not trivially of the initial weights).
    const initial = weightsOf(createUNet({ ...spec, seed: 5 }))
    expect(Math.max(...initial.map((w, i) => Math.max(...w.map((v, k) => Math.abs(v - single.weights[i][k])))))).toBeGreaterThan(1e-3)
  }, 60_000)

  it('scores validation tiles shared with a replica exactly as one thread does', async () => {
    const rng = new Rng(4)
    const images = [0, 1, 2].map((id) => ({
      id, name: `v${id}`, width: 70, height: 50, channels: 3,
      data: Float32Array.from({ length: 70 * 50 * 3 }, () => rng.next() * 2 - 1),
      labels: Uint8Array.from({ length: 70 * 50 }, (_, i) => (i % 7 === 0 ? 255 : rng.int(3))),
    }))
    const model = createUNet({ ...spec, batchNorm: true, seed: 5 })
    const objective = createObjective(config, 3, null)
    const pool = await ReplicaPool.start({ workers: 2, backend: 'wasm', spec: { ...spec, batchNorm: true }, config, numClasses: 3, classWeights: null })
    try {
      const opts = { size: 32, batch: 2, numClasses: 3, objective }
      const single = await validate(model, images, opts)
      await pool.load(model)
      const shared = await validate(model, images, { ...opts, many: { runner: pool.validationRunner({ size: 32, channels: 3, numClasses: 3 }), batches: 4 } })
      expect([...shared.confusion.counts]).toEqual([...single.confusion.counts])
      expect(shared.confusion.counts.reduce((a, b) => a + b, 0)).toBe(images.length * 70 * 50 - images.reduce((n, im) => n + im.labels.filter((l) => l === 255).length, 0))
      expect(shared.loss).toBeCloseTo(single.loss ?? NaN, 5)
    } finally {
      await pool.close()
      objective.dispose()
      model.dispose()
    }
  }, 60_000)

  it('names the worker and its reason when a replica cannot start', async () => {
    const bad = { ...spec, baseFilters: 4 }
    await expect(ReplicaPool.start({ workers: 3, backend: 'wasm', spec: bad, config, numClasses: 3, classWeights: null }))
      .rejects.toThrow(/training worker [12] stopped: .*baseFilters must be an integer in 8\.\.64, got 4/)
  }, 60_000)

  it('fails a step whose share does not fit the model, and the pool still closes', async () => {
    const pool = await ReplicaPool.start({ workers: 2, backend: 'wasm', spec, config, numClasses: 3, classWeights: null })
    const model = createUNet({ ...spec, seed: 5 })
    const objective = createObjective(config, 3, null)
    const optimizer = new ScheduledAdam(1e-2)
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable)
    try {
      // 4-channel tiles cannot run through a 3-channel model, on this thread or the replica.
      const wrong = { size: 32, count: 2, channels: 4, pixels: new Float32Array(2 * 32 * 32 * 4), labels: new Int32Array(2 * 32 * 32) }
      await expect(pool.step(wrong, model, { model, objective, vars, withBoundary: false }, optimizer, 1)).rejects.toThrow()
    } finally {
      await pool.close()
      model.dispose()
      optimizer.dispose()
    }
  }, 60_000)

  it('chooses one thread per core on wasm, up to 4 and half the batch, and one elsewhere unless asked', () => {
    expect(resolveWorkers(0, 'wasm', 8, 2)).toBe(2)
    expect(resolveWorkers(0, 'wasm', 8, 16)).toBe(4)
    expect(resolveWorkers(0, 'wasm', 2, 16)).toBe(1)
    expect(resolveWorkers(0, 'cpu', 8, 16)).toBe(1)
    expect(resolveWorkers(3, 'cpu', 8, 2)).toBe(3)
    expect(resolveWorkers(12, 'wasm', 8, 2)).toBe(8)
    expect(resolveWorkers(4, 'tensorflow', 8, 16)).toBe(1)
  })
})
