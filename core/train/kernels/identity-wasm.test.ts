import * as tf from '@tensorflow/tfjs-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { initBackends } from './test-helpers'

describe('wasm Identity without a copy', () => {
  beforeAll(initBackends)

  it('a clone outlives its source, and freeing both leaves no buffer behind', () => {
    tf.setBackend('wasm')
    const buffers = tf.backend().numDataIds()
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2])
    const y = tf.clone(x)
    expect(tf.backend().numDataIds()).toBe(buffers + 1) // shared, not copied
    x.dispose()
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4])
    y.dispose()
    expect(tf.backend().numDataIds()).toBe(buffers)
  })

  it('gradients that keep their inputs (through Identity) stay right and leak nothing', () => {
    tf.setBackend('wasm')
    const x = tf.tensor1d([0.5, -1, 2])
    const f = (a: tf.Tensor) => tf.sum(tf.mul(tf.exp(a), a))
    tf.tidy(() => tf.grad(f)(x)).dispose()
    const tensors = tf.memory().numTensors
    const buffers = tf.backend().numDataIds()
    const g = tf.tidy(() => tf.grad(f)(x))
    // d/da (a·e^a) = e^a (1 + a)
    const want = [0.5, -1, 2].map((a) => Math.exp(a) * (1 + a))
    Array.from(g.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want[i], 4))
    g.dispose()
    expect(tf.memory().numTensors).toBe(tensors)
    expect(tf.backend().numDataIds()).toBe(buffers)
    x.dispose()
  })

  it('strings are still copied by the stock kernel', () => {
    tf.setBackend('wasm')
    const s = tf.tensor1d(['a', 'b'], 'string')
    const c = tf.clone(s)
    s.dispose()
    expect(c.dataSync()).toEqual(['a', 'b'])
    c.dispose()
  })
})
