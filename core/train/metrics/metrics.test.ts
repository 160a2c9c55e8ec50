import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { beforeAll, describe, expect, it } from 'vitest'
import { ConfusionMatrix } from './confusion'
import { computeScores } from './scores'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const labels = [0, 0, 0, 1, 1, 2, 255, 255]
const preds = [0, 0, 1, 1, 2, 2, 0, 1]

describe('ConfusionMatrix', () => {
  it('counts true × predicted and skips unlabeled pixels', () => {
    const cm = new ConfusionMatrix(3)
    cm.add(preds, labels)
    expect(cm.toArray()).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ])
    expect(cm.total).toBe(6)
    const rows = cm.rowNormalised()
    expect(rows[0][0]).toBeCloseTo(2 / 3, 12)
    expect(rows[1]).toEqual([0, 0.5, 0.5])
    expect(rows[2]).toEqual([0, 0, 1])
  })

  it('accumulates batches to the same matrix as one pass, and merges', () => {
    const one = new ConfusionMatrix(3)
    one.add(preds, labels)
    const batched = new ConfusionMatrix(3)
    batched.add(preds.slice(0, 3), labels.slice(0, 3))
    batched.add(preds.slice(3), labels.slice(3))
    expect(batched.toArray()).toEqual(one.toArray())
    const merged = new ConfusionMatrix(3)
    merged.merge(one)
    merged.merge(one)
    expect(merged.get(0, 0)).toBe(4)
    merged.reset()
    expect(merged.total).toBe(0)
  })

  it('takes the argmax of logits tensors', () => {
    const logits = tf.tensor4d(preds.flatMap((p) => [0, 1, 2].map((c) => (c === p ? 3 : -1))), [1, 2, 4, 3])
    const cm = new ConfusionMatrix(3)
    cm.addTensors(logits, tf.tensor3d(labels, [1, 2, 4], 'int32'))
    cm.addTensors(tf.tensor3d(preds, [1, 2, 4], 'int32'), tf.tensor3d(labels, [1, 2, 4], 'int32'))
    expect(cm.toArray()).toEqual([
      [4, 2, 0],
      [0, 2, 2],
      [0, 0, 2],
    ])
  })

  it('rejects labels outside the classes and mismatched lengths', () => {
    const cm = new ConfusionMatrix(2)
    expect(() => cm.add([0], [5])).toThrow(/label 5/)
    expect(() => cm.add([0, 1], [0])).toThrow(/2 predictions for 1 labels/)
    expect(() => ConfusionMatrix.fromArray([[1, 2], [3]])).toThrow(/row 1/)
  })
})

describe('computeScores', () => {
  it('matches hand-computed IoU, Dice, precision, recall, F1 and the means', () => {
    const s = computeScores(ConfusionMatrix.fromArray([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]))
    const expected = [
      { iou: 2 / 3, precision: 1, recall: 2 / 3, f1: 0.8, support: 3, predicted: 2 },
      { iou: 1 / 3, precision: 0.5, recall: 0.5, f1: 0.5, support: 2, predicted: 2 },
      { iou: 0.5, precision: 0.5, recall: 1, f1: 2 / 3, support: 1, predicted: 2 },
    ]
    expected.forEach((e, k) => {
      const got = s.perClass[k]
      expect(got.iou).toBeCloseTo(e.iou, 12)
      expect(got.precision).toBeCloseTo(e.precision, 12)
      expect(got.recall).toBeCloseTo(e.recall, 12)
      expect(got.f1).toBeCloseTo(e.f1, 12)
      expect(got.dice).toBeCloseTo(e.f1, 12)
      expect(got.support).toBe(e.support)
      expect(got.predicted).toBe(e.predicted)
    })
    expect(s.mIoU).toBeCloseTo(0.5, 12)
    expect(s.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 12)
    expect(s.pixelAccuracy).toBeCloseTo(4 / 6, 12)
    expect(s.presentClasses).toEqual([0, 1, 2])
  })

  it('leaves out classes absent from labels and predictions, keeps predicted-only ones', () => {
    const absent = computeScores(ConfusionMatrix.fromArray([
      [2, 1, 0, 0],
      [0, 1, 1, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 0],
    ]))
    expect(absent.mIoU).toBeCloseTo(0.5, 12)
    expect(absent.perClass[3]).toMatchObject({ present: false, iou: 0, f1: 0 })
    expect(absent.presentClasses).toEqual([0, 1, 2])
    // labels [0, 0], predictions [0, 1]: class 1 only predicted → IoU 0, counted in the mean
    const cm = new ConfusionMatrix(2)
    cm.add([0, 1], [0, 0])
    const s = computeScores(cm)
    expect(s.perClass[1]).toMatchObject({ present: true, iou: 0, precision: 0, recall: 0 })
    expect(s.mIoU).toBeCloseTo(0.25, 12)
    expect(s.macroF1).toBeCloseTo((2 / 3 + 0) / 2, 12)
  })

  it('gives zeros, not NaN, for an empty matrix', () => {
    const s = computeScores(new ConfusionMatrix(3))
    expect([s.mIoU, s.macroF1, s.pixelAccuracy]).toEqual([0, 0, 0])
    expect(s.presentClasses).toEqual([])
  })
})
