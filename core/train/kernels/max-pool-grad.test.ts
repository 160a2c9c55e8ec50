import * as tf from '@tensorflow/tfjs-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { generatedPoolGradCalls, maxPoolGradConfig } from './max-pool-grad'
import { initBackends, randomValues, relativeError, rng, runOn } from './test-helpers'

type Pad = 'same' | 'valid'

function poolGrad(shape: [number, number, number, number], size: [number, number], strides: [number, number], pad: Pad, shift: number, seed: number): tf.Tensor[] {
  const next = rng(seed)
  const n = shape.reduce((a, b) => a * b, 1)
  const x = tf.tensor4d(randomValues(n, next).map((v) => v + shift), shape)
  const out = tf.maxPool(x, size, strides, pad)
  const r = tf.tensor(randomValues(out.size, next), out.shape)
  const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, size, strides, pad), r)))
  return [out, g(x)]
}

describe('wasm MaxPoolGrad', () => {
  beforeAll(initBackends)

  it('is LabelLoop\'s kernel, not the stock one', () => {
    expect(tf.getKernel('MaxPoolGrad', 'wasm')).toBe(maxPoolGradConfig)
  })

  it.each([3, 4])('routes the gradient of all-negative windows to their own maximum (the tfjs 4.22 wasm trap), %i channels', (c) => {
    // Every value is negative, so every window's max is <= 0: the stock kernel sent all of them to element 0.
    const want = runOn('cpu', () => poolGrad([2, 6, 6, c], [2, 2], [2, 2], 'valid', -2, 5))
    const got = runOn('wasm', () => poolGrad([2, 6, 6, c], [2, 2], [2, 2], 'valid', -2, 5))
    expect(relativeError(got[1], want[1])).toBe(0)
    // 2*3*3*c windows, each passing its gradient to exactly one element.
    expect(got[1].filter((v) => v !== 0).length).toBe(18 * c)
  })

  it.each([1, 4])('gives windows of equal zeros (ReLU output) to their first element, like cpu, %i channels', (c) => {
    const f = () => {
      const values = [-1, -2, -3, -4, 0, 0, 0, 0, -1, 3, -1, 2, 0, 0, 0, 0].flatMap((v) => Array.from({ length: c }, () => v))
      const x = tf.relu(tf.tensor4d(values, [1, 4, 4, c]))
      return [tf.grad((a: tf.Tensor) => tf.sum(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid')))(x)]
    }
    const want = runOn('cpu', f)
    const got = runOn('wasm', f)
    expect(Array.from(got[0])).toEqual(Array.from(want[0]))
  })

  // 8 and 12 channels with 2×2/2 windows run on the generated SIMD path, odd sizes included.
  const shapes: [number, number, number, number][] = [[1, 7, 9, 2], [3, 8, 8, 5], [2, 5, 11, 1], [4, 16, 16, 8], [2, 7, 9, 12]]
  const configs: [[number, number], [number, number], Pad][] = [
    [[2, 2], [2, 2], 'valid'],
    [[2, 2], [2, 2], 'same'],
    [[3, 3], [2, 2], 'same'],
    [[3, 3], [1, 1], 'same'],
    [[3, 2], [1, 2], 'valid'],
  ]
  for (const shape of shapes) {
    for (const [size, strides, pad] of configs) {
      for (const shift of [0, -0.8]) {
        it(`matches cpu for ${shape} pool ${size} stride ${strides} ${pad} shift ${shift}`, () => {
          const before = generatedPoolGradCalls.count
          const want = runOn('cpu', () => poolGrad(shape, size, strides, pad, shift, 9))
          const got = runOn('wasm', () => poolGrad(shape, size, strides, pad, shift, 9))
          expect(relativeError(got[0], want[0])).toBe(0)
          expect(relativeError(got[1], want[1])).toBeLessThan(1e-6)
          const generated = shape[3] % 4 === 0 && size[0] === 2 && strides[0] === 2 && (pad === 'valid' || (shape[1] % 2 === 0 && shape[2] % 2 === 0))
          expect(generatedPoolGradCalls.count > before).toBe(generated)
        })
      }
    }
  }
})
