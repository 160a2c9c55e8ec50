import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { beforeAll, describe, expect, it } from 'vitest'
import { crossEntropy, weightedCrossEntropy } from './cross-entropy'
import { ceDiceLoss, diceLoss } from './dice'
import { focalLoss } from './focal'
import { hardThreshold, ohemLoss } from './ohem'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const LN2 = Math.log(2)

/**
 * Two labeled pixels and one ignored pixel (batch 1, 1×3, 2 classes):
 * pixel 0: logits [0, 0] → p = [½, ½], label 0, −log p = ln 2
 * pixel 1: logits [ln 3, 0] → p = [¾, ¼], label 1, −log p = ln 4
 * pixel 2: logits [5, −7], label 255 (ignored)
 */
function small(ignoredLogits: [number, number] = [5, -7]): { logits: tf.Tensor4D; labels: tf.Tensor3D } {
  return {
    logits: tf.tensor4d([0, 0, Math.log(3), 0, ...ignoredLogits], [1, 1, 3, 2]),
    labels: tf.tensor3d([0, 1, 255], [1, 1, 3], 'int32'),
  }
}

function value(t: tf.Scalar): number {
  const v = t.dataSync()[0]
  t.dispose()
  return v
}

describe('cross-entropy', () => {
  it('is the mean −log p over labeled pixels', () => {
    const { logits, labels } = small()
    expect(value(crossEntropy(logits, labels))).toBeCloseTo(1.5 * LN2, 6)
  })

  it('does not change when ignored pixels change', () => {
    const a = small([5, -7])
    const b = small([-30, 40])
    expect(value(crossEntropy(a.logits, a.labels))).toBeCloseTo(value(crossEntropy(b.logits, b.labels)), 7)
  })

  it('has gradient (p − y)/n at labeled pixels and 0 at ignored ones', () => {
    const { logits, labels } = small()
    const g = tf.grad((x: tf.Tensor) => crossEntropy(x as tf.Tensor4D, labels))(logits).dataSync()
    const expected = [(0.5 - 1) / 2, 0.5 / 2, 0.75 / 2, (0.25 - 1) / 2, 0, 0]
    expected.forEach((e, i) => expect(g[i]).toBeCloseTo(e, 6))
  })

  it('gives 0 and finite gradients for a batch with no labeled pixel', () => {
    const logits = tf.randomNormal([2, 2, 2, 3], 0, 1, 'float32', 1) as tf.Tensor4D
    const labels = tf.fill([2, 2, 2], 255, 'int32') as tf.Tensor3D
    expect(value(crossEntropy(logits, labels))).toBe(0)
    const g = tf.grad((x: tf.Tensor) => crossEntropy(x as tf.Tensor4D, labels))(logits).dataSync()
    expect(Array.from(g).every((v) => v === 0)).toBe(true)
  })

  it('rejects float labels and mismatched shapes with a clear message', () => {
    const { logits } = small()
    expect(() => crossEntropy(logits, tf.zeros([1, 1, 3]) as tf.Tensor3D)).toThrow(/labels must be int32/)
    expect(() => crossEntropy(logits, tf.zeros([1, 1, 2], 'int32') as tf.Tensor3D)).toThrow(/does not match/)
  })
})

describe('weighted cross-entropy', () => {
  it('normalises by the summed weights of labeled pixels', () => {
    const { logits, labels } = small()
    // (1·ln2 + 3·ln4) / (1 + 3) = 7/4 ln 2
    expect(value(weightedCrossEntropy(logits, labels, { classWeights: [1, 3] }))).toBeCloseTo(1.75 * LN2, 6)
  })

  it('equals CE when all weights are 1 or when no weights are given', () => {
    const logits = tf.randomNormal([2, 4, 4, 3], 0, 2, 'float32', 7) as tf.Tensor4D
    const labels = tf.tensor3d(Array.from({ length: 32 }, (_, i) => [0, 1, 2, 255][i % 4]), [2, 4, 4], 'int32')
    const ce = value(crossEntropy(logits, labels))
    expect(value(weightedCrossEntropy(logits, labels, { classWeights: [1, 1, 1] }))).toBeCloseTo(ce, 6)
    expect(value(weightedCrossEntropy(logits, labels))).toBeCloseTo(ce, 6)
  })

  it('rejects weights of the wrong length', () => {
    const { logits, labels } = small()
    expect(() => weightedCrossEntropy(logits, labels, { classWeights: [1, 2, 3] })).toThrow(/3 entries but the logits have 2 classes/)
  })
})

describe('focal loss', () => {
  it('matches the hand-computed value for γ = 2 with and without per-class α', () => {
    const { logits, labels } = small()
    // pixel 0: (1 − ½)²·ln2 = 0.25 ln2; pixel 1: (1 − ¼)²·ln4 = 1.125 ln2
    expect(value(focalLoss(logits, labels, { gamma: 2 }))).toBeCloseTo(((0.25 + 1.125) / 2) * LN2, 6)
    expect(value(focalLoss(logits, labels, { gamma: 2, alpha: [0.25, 0.75] }))).toBeCloseTo(((0.25 * 0.25 + 0.75 * 1.125) / 2) * LN2, 6)
  })

  it('equals CE with γ = 0 and α = 1', () => {
    const logits = tf.randomNormal([1, 3, 3, 4], 0, 3, 'float32', 3) as tf.Tensor4D
    const labels = tf.tensor3d([0, 1, 2, 3, 255, 3, 2, 1, 0], [1, 3, 3], 'int32')
    expect(value(focalLoss(logits, labels, { gamma: 0, alpha: 1 }))).toBeCloseTo(value(crossEntropy(logits, labels)), 6)
  })

  it('keeps gradients finite for confident correct pixels and fractional γ', () => {
    const logits = tf.tensor4d([60, -60, -60, 60], [1, 1, 2, 2])
    const labels = tf.tensor3d([0, 1], [1, 1, 2], 'int32')
    for (const gamma of [0, 0.5, 2]) {
      const g = tf.grad((x: tf.Tensor) => focalLoss(x as tf.Tensor4D, labels, { gamma }))(logits).dataSync()
      expect(Array.from(g).every(Number.isFinite)).toBe(true)
    }
  })
})

describe('soft Dice', () => {
  it('matches the hand-computed value with and without smoothing', () => {
    const { logits, labels } = small()
    // class 0: I = ½, ΣP = 1.25, ΣY = 1; class 1: I = ¼, ΣP = 0.75, ΣY = 1
    const noSmooth = 1 - (1 / 2.25 + 0.5 / 1.75) / 2
    const smooth1 = 1 - (2 / 3.25 + 1.5 / 2.75) / 2
    expect(value(diceLoss(logits, labels, { smooth: 0 }))).toBeCloseTo(noSmooth, 6)
    expect(value(diceLoss(logits, labels))).toBeCloseTo(smooth1, 6)
  })

  it('is ≈ 0 for a perfect prediction and ignores classes absent from the labels', () => {
    const labelsArr = [0, 1, 1, 255, 0, 0]
    const logitsArr = labelsArr.flatMap((l) => [0, 1, 2].map((c) => (c === l ? 20 : -20)))
    const logits = tf.tensor4d(logitsArr, [1, 2, 3, 3])
    const labels = tf.tensor3d(labelsArr, [1, 2, 3], 'int32')
    expect(value(diceLoss(logits, labels, { smooth: 0 }))).toBeLessThan(1e-6)
    expect(value(diceLoss(logits, labels))).toBeLessThan(1e-6)
  })

  it('weights classes when class weights are given', () => {
    const { logits, labels } = small()
    const d0 = 1 / 2.25
    const d1 = 0.5 / 1.75
    expect(value(diceLoss(logits, labels, { smooth: 0, classWeights: [1, 3] }))).toBeCloseTo(1 - (d0 + 3 * d1) / 4, 6)
  })

  it('gives 0 for a batch with no labeled pixel, with finite gradients', () => {
    const logits = tf.randomNormal([1, 2, 2, 3], 0, 1, 'float32', 2) as tf.Tensor4D
    const labels = tf.fill([1, 2, 2], 255, 'int32') as tf.Tensor3D
    expect(value(diceLoss(logits, labels, { smooth: 0 }))).toBe(0)
    const g = tf.grad((x: tf.Tensor) => diceLoss(x as tf.Tensor4D, labels, { smooth: 0 }))(logits).dataSync()
    expect(Array.from(g).every(Number.isFinite)).toBe(true)
  })

  it('CE + Dice is the weighted sum of the two', () => {
    const { logits, labels } = small()
    const expected = 0.5 * 1.5 * LN2 + 2 * (1 - (2 / 3.25 + 1.5 / 2.75) / 2)
    expect(value(ceDiceLoss(logits, labels, { ceWeight: 0.5, diceWeight: 2 }))).toBeCloseTo(expected, 6)
  })
})

describe('OHEM', () => {
  it('keeps only the hardest pixels', () => {
    const { logits, labels } = small()
    expect(value(ohemLoss(logits, labels, { topK: 0.5 }))).toBeCloseTo(2 * LN2, 6)
    expect(value(ohemLoss(logits, labels, { topK: 0.5, minKept: 2 }))).toBeCloseTo(1.5 * LN2, 6)
  })

  it('equals CE (weighted CE) with topK = 100%', () => {
    const logits = tf.randomNormal([2, 4, 4, 3], 0, 2, 'float32', 11) as tf.Tensor4D
    const labels = tf.tensor3d(Array.from({ length: 32 }, (_, i) => [0, 1, 2, 255, 1][i % 5]), [2, 4, 4], 'int32')
    expect(value(ohemLoss(logits, labels, { topK: 1 }))).toBeCloseTo(value(crossEntropy(logits, labels)), 6)
    const w = { classWeights: [0.5, 2, 1] }
    expect(value(ohemLoss(logits, labels, { topK: 1, ...w }))).toBeCloseTo(value(weightedCrossEntropy(logits, labels, w)), 6)
  })

  it('finds the k-th largest loss among labeled pixels only', () => {
    expect(hardThreshold([9, 1, 5, 3, 7], [0, 1, 1, 1, 1], 0.5, 0)).toBe(5)
    expect(hardThreshold([9, 1, 5, 3, 7], [0, 1, 1, 1, 1], 0.25, 3)).toBe(3)
    expect(hardThreshold([1, 2], [0, 0], 0.5, 0)).toBeNull()
    expect(() => ohemLoss(small().logits, small().labels, { topK: 0 })).toThrow(/topK/)
  })

  it('gives 0 with finite gradients when nothing is labeled', () => {
    const logits = tf.randomNormal([1, 2, 2, 2], 0, 1, 'float32', 5) as tf.Tensor4D
    const labels = tf.fill([1, 2, 2], 255, 'int32') as tf.Tensor3D
    expect(value(ohemLoss(logits, labels))).toBe(0)
    const g = tf.grad((x: tf.Tensor) => ohemLoss(x as tf.Tensor4D, labels))(logits).dataSync()
    expect(Array.from(g).every((v) => v === 0)).toBe(true)
  })
})
