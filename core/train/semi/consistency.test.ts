import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import type * as tfl from '@tensorflow/tfjs-layers'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Batch } from '../loop/batch'
import { WeightAverage } from '../loop/ema'
import { Rng } from '../loop/rng'
import type { ModelSpec } from '../loop/state'
import { crossEntropy } from '../losses/cross-entropy'
import { createUNet } from '../model/unet'
import type { PixelImage, TrainingSource } from '../loop/data-source'
import { ConsistencyTraining } from './consistency'
import { Teacher } from './teacher'
import { UnlabeledPool } from './unlabeled-pool'

const SPEC: ModelSpec = { inChannels: 3, numClasses: 2, depth: 3, baseFilters: 8, dropout: 0, batchNorm: true, batchNormMomentum: 0.9, auxBoundaryHead: false }

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** Every weight 0 but the logits' bias: the model's logits are `bias` at every pixel of any input. */
function constantModel(bias: number[]): tfl.LayersModel {
  const model = createUNet({ ...SPEC, seed: 1 })
  model.weights.forEach((w) => w.write(tf.zerosLike(w.read())))
  const logits = model.getLayer('logits')
  const [kernel] = logits.getWeights()
  logits.setWeights([tf.zerosLike(kernel), tf.tensor1d(bias)])
  return model
}

function values(ts: tf.Tensor[]): number[][] {
  return ts.map((t) => Array.from(t.dataSync()))
}

async function pool(count: number, size: number): Promise<UnlabeledPool> {
  const source: TrainingSource = {
    classes: () => [],
    labeledImages: async () => [],
    pixels: async (id): Promise<PixelImage> => ({ width: size, height: size, channels: 3, data: new Uint8Array(size * size * 3).fill(40 + id) }),
    mask: async () => new Uint8Array(size * size).fill(255),
  }
  const refs = Array.from({ length: count }, (_, i) => ({ id: i + 1, name: `u${i + 1}`, width: size, height: size }))
  return (await UnlabeledPool.load({ source, refs, channels: 3, normalisation: { mean: [40, 40, 40], std: [10, 10, 10] }, rng: new Rng(1) })) as UnlabeledPool
}

/** A labeled batch of 4 tiles of 16²: tile i has `i + 1` rows of class 1, the rest class 0, and its last row unlabeled. */
function labeledBatch(): Batch {
  const size = 16
  const pixels = new Float32Array(4 * size * size * 3).map((_, i) => Math.cos(i))
  const labels = new Int32Array(4 * size * size)
  for (let t = 0; t < 4; t++) for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) labels[t * 256 + y * size + x] = y === size - 1 ? 255 : y <= t ? 1 : 0
  return { size, count: 4, channels: 3, pixels, labels }
}

describe('the EMA teacher', () => {
  it('takes the moving average, 0.1·w₀ + 0.9·w₁ after the first update, and refreshes every few steps', () => {
    const student = createUNet({ ...SPEC, seed: 3 })
    const w0 = values(student.weights.map((w) => w.read()))
    const ema = new WeightAverage(student, 0.99)
    expect(ema.nextDecay()).toBeCloseTo(0.1, 10)
    student.weights.forEach((w) => w.write(tf.add(w.read(), 1)))
    ema.update(student)
    const teacher = new Teacher(SPEC, 9, 2)
    teacher.follow(student, ema)
    expect(teacher.refreshes).toBe(1)
    const got = values(teacher.weights())
    got.forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(0.1 * w0[i][j] + 0.9 * (w0[i][j] + 1), 5)))
    // The student kept its own weights.
    values(student.weights.map((w) => w.read())).forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(w0[i][j] + 1, 5)))
    // Two steps between copies: the next call keeps the old weights, the one after copies again.
    student.weights.forEach((w) => w.write(tf.add(w.read(), 1)))
    ema.update(student)
    teacher.follow(student, ema)
    expect(teacher.refreshes).toBe(1)
    expect(values(teacher.weights())[0][0]).toBeCloseTo(got[0][0], 6)
    teacher.follow(student, ema)
    expect(teacher.refreshes).toBe(2)
    expect(values(teacher.weights())[0][0]).not.toBeCloseTo(got[0][0], 3)
    // Without an average the teacher copies the student.
    const plain = new Teacher(SPEC, 9)
    plain.follow(student, null)
    values(plain.weights()).forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(w0[i][j] + 2, 5)))
    for (const t of [teacher, plain]) t.dispose()
    ema.dispose()
    student.dispose()
  })
})

describe('consistency training', () => {
  it('adds nothing before the first validation, then replaces the last tiles with strong views and the teacher’s confident targets', async () => {
    const semi = new ConsistencyTraining({ pool: await pool(3, 12), spec: SPEC, seed: 1, numClasses: 2, ramp: 0 })
    // p(class 0) = e³ / (e³ + 1) ≈ 0.953 ≥ 0.95 at every pixel: all confident, class 0.
    const student = constantModel([3, 0])
    const batch = labeledBatch()
    expect(semi.mix(batch, new Rng(1), { model: student, ema: null }, 0.1)).toBe(batch)
    semi.observe([1, 1], null, 0.1)
    const mixed = semi.mix(batch, new Rng(1), { model: student, ema: null }, 0.1)
    expect(mixed).not.toBe(batch)
    // The labeled half is untouched; the other half holds 12² images centred in 16² tiles, padding 255.
    expect(Array.from(mixed.labels.subarray(0, 512))).toEqual(Array.from(batch.labels.subarray(0, 512)))
    expect(Array.from(mixed.pixels.subarray(0, 512 * 3))).toEqual(Array.from(batch.pixels.subarray(0, 512 * 3)))
    const unlabeled = Array.from(mixed.labels.subarray(512))
    expect(unlabeled.filter((l) => l === 0)).toHaveLength(2 * 144)
    expect(unlabeled.filter((l) => l === 255)).toHaveLength(2 * (256 - 144))
    const r = semi.report(3)
    expect([r.unlabeledImages, r.tilesSeen, r.steps]).toEqual([3, 2, 1])
    expect(r.confidentShare).toEqual([1, 0])

    // The consistency loss is cross-entropy over labeled and confident pixels alike, and nothing else.
    const logits = student.predict(tf.tensor4d(mixed.pixels, [4, 16, 16, 3])) as tf.Tensor4D
    const loss = crossEntropy(logits, tf.tensor3d(mixed.labels, [4, 16, 16], 'int32')).dataSync()[0]
    const p0 = Math.exp(3) / (Math.exp(3) + 1)
    let ones = 0
    let zeros = 0
    for (let t = 0; t < 2; t++) {
      for (let y = 0; y < 15; y++) {
        if (y <= t) ones += 16
        else zeros += 16
      }
    }
    zeros += 2 * 144
    const expected = (zeros * -Math.log(p0) + ones * -Math.log(1 - p0)) / (zeros + ones)
    expect(loss).toBeCloseTo(expected, 5)
    semi.dispose()
    student.dispose()
  })

  it('ramps the unlabeled share in over the budget, never the whole batch', async () => {
    const semi = new ConsistencyTraining({ pool: await pool(1, 16), spec: SPEC, seed: 1, numClasses: 2, share: 0.5, ramp: 0.4 })
    expect(semi.unlabeledTiles(8, 0.5)).toBe(0)
    semi.observe([1, 1], null, 0.2)
    expect([0.2, 0.3, 0.4, 0.6, 0.9].map((f) => semi.unlabeledTiles(8, f))).toEqual([0, 1, 2, 4, 4])
    expect(semi.unlabeledTiles(1, 0.9)).toBe(0)
    expect(semi.unlabeledTiles(2, 0.9)).toBe(1)
    semi.dispose()
  })

  it('gives no target where the teacher is unsure', async () => {
    const semi = new ConsistencyTraining({ pool: await pool(2, 16), spec: SPEC, seed: 1, numClasses: 2, ramp: 0 })
    // p = 0.62 for class 0: under the lowest threshold any class can have (the floor, 0.7).
    const student = constantModel([0.5, 0])
    semi.observe([1, 1], null, 0)
    const mixed = semi.mix(labeledBatch(), new Rng(2), { model: student, ema: null }, 0.5)
    expect(Array.from(mixed.labels.subarray(512)).every((l) => l === 255)).toBe(true)
    expect(semi.report(2).confidentShare).toEqual([0, 0])
    semi.dispose()
    student.dispose()
  })
})
