import { describe, expect, it } from 'vitest'
import { AppError } from '../contract'
import { BalanceAccumulator, accumulate, labelGroup, type ImageClassCounts } from './accumulator'

const a: ImageClassCounts = { counts: [10, 0, 5], source: 'human' }
const b: ImageClassCounts = { counts: [20, 4, 0], source: 'import' }
const p: ImageClassCounts = { counts: [0, 6, 2], source: 'pseudo-accepted' }

describe('BalanceAccumulator', () => {
  it('totals pixels, images containing each class and their labeled pixels', () => {
    const acc = accumulate([a, b, p], 3)
    expect(acc.totals()).toEqual({
      classCount: 3,
      labeledImages: 3,
      labeledPixels: 47,
      pixels: [30, 10, 7],
      images: [2, 2, 2],
      containingPixels: [15 + 24, 24 + 8, 15 + 8],
    })
  })

  it('counts human labels (human, import) and accepted pseudo-labels separately', () => {
    const acc = accumulate([a, b, p], 3)
    expect(acc.totals('human').pixels).toEqual([30, 4, 5])
    expect(acc.totals('human').labeledImages).toBe(2)
    expect(acc.totals('pseudo').pixels).toEqual([0, 6, 2])
    expect(acc.totals('pseudo').containingPixels).toEqual([0, 8, 8])
    expect(labelGroup(undefined)).toBe('human')
  })

  it('remove and replace give the same totals as a full recompute', () => {
    const acc = accumulate([a, b, p], 3)
    const edited: ImageClassCounts = { counts: [1, 1, 1], source: 'human' }
    acc.replace(a, edited)
    acc.remove(p)
    expect(acc.totals()).toEqual(accumulate([edited, b], 3).totals())
  })

  it('ignores images with no labeled pixel and accepts shorter count arrays', () => {
    const acc = accumulate([{ counts: [0, 0, 0] }, { counts: [3] }], 3)
    expect(acc.totals().labeledImages).toBe(1)
    expect(acc.totals().pixels).toEqual([3, 0, 0])
  })

  it('refuses to remove counts that were never added', () => {
    const acc = accumulate([a], 3)
    expect(() => acc.remove(b)).toThrow(AppError)
    expect(acc.totals().pixels).toEqual([10, 0, 5])
  })

  it('rejects bad input with a message that says what is wrong', () => {
    expect(() => new BalanceAccumulator(0)).toThrow(/class count/)
    const acc = new BalanceAccumulator(2)
    expect(() => acc.add({ counts: [1, 2, 3] })).toThrow(/3 classes, the project has 2/)
    expect(() => acc.add({ counts: [1, -1] })).toThrow(/class 1/)
  })
})
