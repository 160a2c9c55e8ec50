import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import { beforeAll, describe, expect, it } from 'vitest'
import { initBackends, randomValues, relativeError, rng } from '../kernels/test-helpers'
import { createUNet } from './unet'

/** Mean softmax cross-entropy of logits [N,H,W,C] against integer labels [N,H,W]. */
function crossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  const classes = logits.shape[3] as number
  return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.cast(tf.reshape(labels, [-1]), 'int32'), classes), tf.reshape(logits, [-1, classes]))
}

describe('createUNet', () => {
  beforeAll(initBackends)

  for (const depth of [3, 4, 5] as const) {
    it(`depth ${depth}: logits have the input's size and numClasses channels`, () => {
      const model = createUNet({ inChannels: 4, numClasses: 5, depth, baseFilters: 8, auxBoundaryHead: true, dropout: 0.1 })
      const side = 2 ** depth
      const out = tf.tidy(() => (model.predict(tf.zeros([2, side * 2, side * 3, 4])) as tf.Tensor[]).map((t) => t.shape))
      expect(out).toEqual([[2, side * 2, side * 3, 5], [2, side * 2, side * 3, 1]])
      // Two 3x3 convolutions per block, the decoder's first split in two (upsampled, skip), two 1x1 heads.
      expect(model.layers.filter((l) => l.getClassName() === 'Conv2D').length).toBe(2 * (2 * depth + 1) + depth + 2)
      model.dispose()
    })
  }

  it('rejects sizes and widths it cannot build, naming the file', () => {
    expect(() => createUNet({ inChannels: 3, numClasses: 2, depth: 3, baseFilters: 4 })).toThrow(/unet\.ts.*baseFilters/)
    expect(() => createUNet({ inChannels: 3, numClasses: 2, depth: 4, baseFilters: 8, inputSize: [40, 40] })).toThrow(/divisible by 2\^depth = 16/)
  })

  it('builds identical weights from the same seed', () => {
    const a = createUNet({ inChannels: 3, numClasses: 2, depth: 3, baseFilters: 8, seed: 3 })
    const b = createUNet({ inChannels: 3, numClasses: 2, depth: 3, baseFilters: 8, seed: 3 })
    const wa = a.getWeights()[0].dataSync()
    expect(Array.from(b.getWeights()[0].dataSync())).toEqual(Array.from(wa))
    a.dispose()
    b.dispose()
  })

  it('has the same gradients on wasm (LabelLoop kernels) as on cpu for a small model, batch 2', () => {
    const model = createUNet({ inChannels: 3, numClasses: 3, depth: 3, baseFilters: 8, seed: 1 })
    const next = rng(42)
    const x = randomValues(2 * 16 * 16 * 3, next)
    const labels = Int32Array.from({ length: 2 * 16 * 16 }, () => Math.floor(next() * 3))
    const gradsOn = (backend: 'cpu' | 'wasm'): Float32Array[] => {
      tf.setBackend(backend)
      return tf.tidy(() => {
        const xs = tf.tensor4d(x, [2, 16, 16, 3])
        const ys = tf.tensor3d(labels, [2, 16, 16], 'int32')
        const { value, grads } = tf.variableGrads(() => crossEntropy(model.apply(xs, { training: true }) as tf.Tensor, ys))
        return [value, ...model.trainableWeights.map((w) => grads[w.name])].map((t) => Float32Array.from(t.dataSync()))
      })
    }
    const want = gradsOn('cpu')
    const got = gradsOn('wasm')
    tf.setBackend('wasm')
    expect(got.length).toBe(model.trainableWeights.length + 1)
    for (let i = 0; i < want.length; i++) expect(relativeError(got[i], want[i])).toBeLessThan(1e-4)
    model.dispose()
  })

  it('learns a tiny synthetic task on wasm: the loss falls', async () => {
    tf.setBackend('wasm')
    const model = createUNet({ inChannels: 1, numClasses: 2, depth: 3, baseFilters: 8, seed: 7 })
    // Class 1 wherever a bright square is; everything else class 0.
    const next = rng(9)
    const n = 8
    const img = new Float32Array(n * 16 * 16)
    const lab = new Int32Array(n * 16 * 16)
    for (let b = 0; b < n; b++) {
      const y0 = Math.floor(next() * 10)
      const x0 = Math.floor(next() * 10)
      for (let y = 0; y < 16; y++) {
        for (let x = 0; x < 16; x++) {
          const inside = y >= y0 && y < y0 + 6 && x >= x0 && x < x0 + 6
          img[(b * 16 + y) * 16 + x] = (inside ? 1 : 0) + 0.1 * (next() - 0.5)
          lab[(b * 16 + y) * 16 + x] = inside ? 1 : 0
        }
      }
    }
    const xs = tf.tensor4d(img, [n, 16, 16, 1])
    const ys = tf.tensor3d(lab, [n, 16, 16], 'int32')
    const optimizer = tf.train.adam(0.01)
    const losses: number[] = []
    for (let step = 0; step < 25; step++) {
      const loss = optimizer.minimize(() => crossEntropy(model.apply(xs, { training: true }) as tf.Tensor, ys), true) as tf.Scalar
      losses.push((await loss.data())[0])
      loss.dispose()
    }
    expect(losses.every(Number.isFinite)).toBe(true)
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.5)
    tf.dispose([xs, ys])
    optimizer.dispose()
    model.dispose()
  })
})

describe('tfjs-layers upSampling2d trap', () => {
  it('size [2, 2] gives a doubled static shape (a bare 2 would give NaN)', () => {
    const input = tfl.input({ shape: [8, 6, 3] })
    const up = tfl.layers.upSampling2d({ size: [2, 2] }).apply(input) as tfl.SymbolicTensor
    expect(up.shape).toEqual([null, 16, 12, 3])
  })
})
