import * as tf from '@tensorflow/tfjs-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../backend'
import { Rng } from '../loop/rng'
import { UncertaintyWeighting } from '../losses'
import { createUNet } from '../model/unet'
import { classQuotas, combineWithSegmentation, PixelContrast, samplePixels, supConLoss, withDecoderFeatures } from './pixel-contrast'

function countBy(labels: ArrayLike<number>, indices: Int32Array, classes: number): number[] {
  const out = new Array<number>(classes).fill(0)
  for (const i of indices) out[labels[i]]++
  return out
}

describe('pixel sampling', () => {
  it('shares the budget equally between present classes, giving back what a rare class lacks', () => {
    expect(classQuotas([1000, 50, 0, 300], { maxPixels: 300, perClassMax: 200 })).toEqual([125, 50, 0, 125])
    expect(classQuotas([1000, 50, 0, 300], { maxPixels: 10_000, perClassMax: 200 })).toEqual([200, 50, 0, 200])
    expect(classQuotas([10, 10, 10], { maxPixels: 10, perClassMax: 100 })).toEqual([4, 3, 3])
    expect(classQuotas([0, 0], { maxPixels: 10, perClassMax: 5 })).toEqual([0, 0])
  })

  it('never draws 255 or out-of-range labels, respects the caps and oversamples rare classes', () => {
    const rng = new Rng(3)
    // 4 classes: 0 common (≈70%), 1 ≈20%, 2 rare (≈1%), 3 absent; a third of the pixels unlabeled, some 9s.
    const labels = new Uint8Array(20_000)
    for (let i = 0; i < labels.length; i++) {
      const r = rng.next()
      labels[i] = i % 3 === 0 ? 255 : i % 97 === 0 ? 9 : r < 0.01 ? 2 : r < 0.21 ? 1 : 0
    }
    const opts = { numClasses: 4, maxPixels: 600, perClassMax: 250 }
    const picked = samplePixels(labels, opts, new Rng(5))
    const labeled = Array.from(labels).filter((l) => l < 4)
    const rareShareOfPixels = labeled.filter((l) => l === 2).length / labeled.length
    const counts = countBy(labels, picked, 10)
    expect(counts[9]).toBe(0)
    expect(Array.from(picked).some((i) => labels[i] === 255)).toBe(false)
    expect(picked.length).toBeLessThanOrEqual(600)
    expect(Math.max(...counts.slice(0, 4))).toBeLessThanOrEqual(250)
    expect(new Set(picked).size).toBe(picked.length)
    // Class 2 (≈1% of labeled pixels) gets every one of its pixels: ~ 200× its share.
    expect(counts[2]).toBe(labeled.filter((l) => l === 2).length)
    expect(counts[2] / picked.length).toBeGreaterThan(10 * rareShareOfPixels)
    expect(Math.abs(counts[0] - counts[1])).toBeLessThanOrEqual(1)
    expect(counts[3]).toBe(0)
  })

  it('returns nothing for an unlabeled batch', () => {
    expect(samplePixels(new Uint8Array(100).fill(255), { numClasses: 2, maxPixels: 50, perClassMax: 50 }, new Rng(1)).length).toBe(0)
  })
})

describe('pixel contrastive loss', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'cpu' })
  })

  it('matches a hand-computed supervised contrastive loss', () => {
    // u = [1,0], [1,0], [0,1], labels 0,0,1, τ = 1: anchors 0 and 1 have one positive each,
    // ℓ = −ln(e / (e + 1)) = ln(1 + e⁻¹); anchor 2 has no positive and is left out.
    const v = tf.tidy(() => supConLoss(tf.tensor2d([[2, 0], [1, 0], [0, 3]]), tf.tensor1d([0, 0, 1], 'int32'), 1).dataSync()[0])
    expect(v).toBeCloseTo(Math.log(1 + Math.exp(-1)), 5)
  })

  it('has a finite gradient for all-zero feature rows (dead ReLU pixels)', () => {
    const x = tf.variable(tf.tensor2d([[0, 0], [0, 0], [1, 0], [0, 1]]))
    const g = tf.tidy(() => Array.from(tf.grad((v: tf.Tensor) => supConLoss(v as tf.Tensor2D, tf.tensor1d([0, 0, 1, 1], 'int32'), 0.1))(x).dataSync()))
    x.dispose()
    expect(g.every(Number.isFinite)).toBe(true)
    expect(g.slice(0, 4)).toEqual([0, 0, 0, 0])
  })

  it('is lower for class-clustered features than for mixed ones, and 0 without positives', () => {
    const labels = [0, 0, 1, 1]
    const clustered = tf.tidy(() => supConLoss(tf.tensor2d([[1, 0], [1, 0.1], [0, 1], [0.1, 1]]), tf.tensor1d(labels, 'int32'), 0.1).dataSync()[0])
    const mixed = tf.tidy(() => supConLoss(tf.tensor2d([[1, 0], [0, 1], [1, 0.1], [0.1, 1]]), tf.tensor1d(labels, 'int32'), 0.1).dataSync()[0])
    expect(clustered).toBeLessThan(mixed)
    expect(tf.tidy(() => supConLoss(tf.tensor2d([[1, 0], [0, 1]]), tf.tensor1d([0, 1], 'int32'), 0.1).dataSync()[0])).toBe(0)
  })

  it('trains the U-Net and its own head through the decoder features, combined by weight or uncertainty', () => {
    const before = tf.memory().numTensors
    const unet = createUNet({ inChannels: 3, numClasses: 3, depth: 3, baseFilters: 8, dropout: 0.1, seed: 2 })
    const model = withDecoderFeatures(unet)
    const contrast = new PixelContrast({ numClasses: 3, featureChannels: 8, maxPixels: 64, perClassMax: 24, seed: 1 })
    let uw = null as unknown as UncertaintyWeighting
    // Its constructor leaves its initial scalars to the caller's scope.
    tf.tidy(() => {
      uw = new UncertaintyWeighting(['segmentation', 'pixel-contrast'])
    })
    const rng = new Rng(9)
    const labels = Int32Array.from({ length: 2 * 16 * 16 }, (_, i) => (i % 5 === 0 ? 255 : i % 3))
    const indices = contrast.sample(labels, rng)
    const picked = Int32Array.from(indices, (i) => labels[i])
    const result = tf.tidy(() => {
      const x = tf.randomNormal([2, 16, 16, 3], 0, 1, 'float32', 4)
      const [logits, features] = model.apply(x, { training: true }) as tf.Tensor4D[]
      expect(features.shape).toEqual([2, 16, 16, 8])
      expect(logits.shape).toEqual([2, 16, 16, 3])
      const weightsVars = [...unet.trainableWeights.map((w) => w.read() as tf.Variable), ...contrast.variables, ...uw.logVariances]
      const { value, grads } = tf.variableGrads(() => {
        const [lg, ft] = model.apply(x, { training: true }) as tf.Tensor4D[]
        const seg = tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(Array.from(labels, (l) => (l === 255 ? 0 : l)), 'int32'), 3), tf.reshape(lg, [-1, 3])) as tf.Scalar
        return combineWithSegmentation(seg, contrast.loss(ft, indices, picked), uw)
      }, weightsVars)
      const fixed = combineWithSegmentation(tf.scalar(1), tf.scalar(2), 0.5).dataSync()[0]
      const byUncertainty = combineWithSegmentation(tf.scalar(1), tf.scalar(2), uw).dataSync()[0]
      const norm = (name: string): number => tf.sum(tf.abs(grads[name])).dataSync()[0]
      return {
        value: value.dataSync()[0], fixed, byUncertainty,
        headGrad: norm(contrast.variables[0].name), encoderGrad: norm((unet.getLayer('enc0_conv1').getWeights()[0] as tf.Variable).name),
        logitsGrad: norm((unet.getLayer('logits').getWeights()[0] as tf.Variable).name),
      }
    })
    expect(indices.length).toBe(64)
    expect(Number.isFinite(result.value)).toBe(true)
    expect(result.fixed).toBeCloseTo(2, 6)
    expect(result.byUncertainty).toBeCloseTo(3, 6)
    expect(result.headGrad).toBeGreaterThan(0)
    expect(result.encoderGrad).toBeGreaterThan(0)
    expect(result.logitsGrad).toBeGreaterThan(0)
    uw.dispose()
    contrast.dispose()
    unet.dispose()
    expect(tf.memory().numTensors).toBe(before)
  })
})
