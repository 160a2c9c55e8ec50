import * as tf from '@tensorflow/tfjs-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { resizeNearestNeighborGradWasmConfig } from './resize-nearest-grad-wasm'
import { initBackends, randomValues, relativeError, rng, runOn } from './test-helpers'

/** d/dx of sum(resize(x) * w) for an input [batch, 3, 5, 2] resized to `size`. */
function upsampleGrad(batch: number, size: [number, number], alignCorners: boolean, halfPixel: boolean, ramp: boolean): tf.Tensor[] {
  const next = rng(3)
  const x = tf.reshape(tf.range(0, batch * 3 * 5 * 2), [batch, 3, 5, 2]) as tf.Tensor4D
  const n = batch * size[0] * size[1] * 2
  const w = ramp ? tf.reshape(tf.range(0, n), [batch, size[0], size[1], 2]) : tf.tensor4d(randomValues(n, next), [batch, size[0], size[1], 2])
  const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(a as tf.Tensor4D, size, alignCorners, halfPixel), w)))
  return [g(x)]
}

describe('ResizeNearestNeighborGrad (cpu fix, wasm fast path)', () => {
  beforeAll(initBackends)

  it('wasm uses LabelLoop\'s kernel', () => {
    expect(tf.getKernel('ResizeNearestNeighborGrad', 'wasm')).toBe(resizeNearestNeighborGradWasmConfig)
  })

  it('cpu is right for batch > 1 (the tfjs 4.22 cpu trap): batch 1 of a 2x upsample sums its own 2x2 block', () => {
    const [g] = runOn('cpu', () => upsampleGrad(2, [6, 10], false, false, true))
    // Input (b=1, y=0, x=0, c=0) is copied to outputs (1, 0..1, 0..1, 0): weights 120+122+140+142.
    expect(g[30]).toBe(120 + 122 + 140 + 142)
  })

  const sizes: [number, number][] = [[6, 10], [9, 5], [7, 12], [3, 5]]
  for (const size of sizes) {
    for (const [alignCorners, halfPixel] of [[false, false], [true, false], [false, true]] as const) {
      it(`cpu and wasm agree for batch 3, size ${size}, alignCorners ${alignCorners}, halfPixelCenters ${halfPixel}`, () => {
        const want = runOn('cpu', () => upsampleGrad(3, size, alignCorners, halfPixel, false))
        const got = runOn('wasm', () => upsampleGrad(3, size, alignCorners, halfPixel, false))
        expect(relativeError(got[0], want[0])).toBeLessThan(1e-6)
      })
    }
  }
})
