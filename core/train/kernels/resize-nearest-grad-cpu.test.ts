import * as tf from '@tensorflow/tfjs-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { initBackends, relativeError, runOn } from './test-helpers'

/** d/dx of sum(resize(x) * w): each input pixel collects the weights of the output pixels copied from it. */
function upsampleGrad(batch: number, alignCorners: boolean, halfPixel: boolean): tf.Tensor[] {
  const x = tf.reshape(tf.range(0, batch * 3 * 5 * 2), [batch, 3, 5, 2]) as tf.Tensor4D
  const w = tf.reshape(tf.range(0, batch * 6 * 10 * 2), [batch, 6, 10, 2])
  const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(a as tf.Tensor4D, [6, 10], alignCorners, halfPixel), w)))
  return [g(x)]
}

describe('cpu ResizeNearestNeighborGrad', () => {
  beforeAll(initBackends)

  it('is right for batch > 1 (the tfjs 4.22 cpu trap): batch 1 of a 2x upsample sums its own 2x2 block', () => {
    const [g] = runOn('cpu', () => upsampleGrad(2, false, false))
    // Input (b=1, y=0, x=0, c=0) is copied to outputs (1, 0..1, 0..1, 0): weights 120+122+140+142.
    expect(g[30]).toBe(120 + 122 + 140 + 142)
  })

  for (const [alignCorners, halfPixel] of [[false, false], [true, false], [false, true]] as const) {
    it(`matches wasm for batch 3, alignCorners ${alignCorners}, halfPixelCenters ${halfPixel}`, () => {
      const want = runOn('wasm', () => upsampleGrad(3, alignCorners, halfPixel))
      const got = runOn('cpu', () => upsampleGrad(3, alignCorners, halfPixel))
      expect(relativeError(got[0], want[0])).toBe(0)
    })
  }
})
