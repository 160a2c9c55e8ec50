import { describe, expect, it } from 'vitest'
import { applyThresholds, classThresholdLevels, ConfidenceHistogram, confidenceLevel, levelsToConfidence, precisionScaledLevels } from './thresholds'

/** A round of one image: class 0 very confident (levels 200..249), class 1 less so (100..109). */
function round(): { mask: Uint8Array; levels: Uint8Array; hist: ConfidenceHistogram } {
  const mask = new Uint8Array(60)
  const levels = new Uint8Array(60)
  for (let i = 0; i < 50; i++) {
    mask[i] = 0
    levels[i] = 200 + i
  }
  for (let i = 0; i < 10; i++) {
    mask[50 + i] = 1
    levels[50 + i] = 100 + i
  }
  const hist = new ConfidenceHistogram(3)
  hist.add(mask, levels)
  return { mask, levels, hist }
}

describe('class-balanced thresholds', () => {
  it('keeps each class its own top fraction, so the less confident class is not wiped out', () => {
    const { mask, levels, hist } = round()
    const t = classThresholdLevels(hist, 0.2, 0)
    // Top 20 % of 50 = 10 pixels of class 0 (levels 240..249); of 10 = 2 pixels of class 1 (108, 109).
    expect(t).toEqual([240, 108, null])
    const kept = applyThresholds(mask, levels, t)
    expect(kept.filter((c) => c === 0).length).toBe(10)
    expect(kept.filter((c) => c === 1).length).toBe(2)
    expect(kept.filter((c) => c === 255).length).toBe(48)
    // One global threshold at class 0's level would have dropped every class-1 pixel.
    expect(applyThresholds(mask, levels, [240, 240, 240]).filter((c) => c === 1).length).toBe(0)
  })

  it('never keeps a pixel under the floor', () => {
    const { mask, levels, hist } = round()
    const t = classThresholdLevels(hist, 0.5, 0.6)
    expect(t[0]).toBe(225)
    expect(t[1]).toBe(153)
    expect(applyThresholds(mask, levels, t).filter((c) => c === 1).length).toBe(0)
  })

  it('keeps every pixel at the threshold level (ties) and everything with topFraction 1', () => {
    const mask = new Uint8Array(10)
    const levels = new Uint8Array(10).fill(128)
    const hist = new ConfidenceHistogram(1)
    hist.add(mask, levels)
    expect(classThresholdLevels(hist, 0.1, 0)).toEqual([128])
    expect(applyThresholds(mask, levels, [128]).every((c) => c === 0)).toBe(true)
    expect(classThresholdLevels(hist, 1, 0)).toEqual([128])
  })

  it('ignores unlabeled predictions, reports thresholds as 0..1 and rejects bad options', () => {
    const hist = new ConfidenceHistogram(2)
    hist.add(Uint8Array.from([255, 1]), Uint8Array.from([255, 51]))
    expect(hist.total(0)).toBe(0)
    expect(hist.total(1)).toBe(1)
    expect(levelsToConfidence([51, null])).toEqual([0.2, null])
    expect(confidenceLevel(0.2)).toBe(51)
    expect(() => classThresholdLevels(hist, 0, 0)).toThrow(/topFraction/)
    expect(() => classThresholdLevels(hist, 0.5, 2)).toThrow(/floor/)
    expect(() => hist.add(new Uint8Array(2), new Uint8Array(3))).toThrow(RangeError)
  })

  it('raises a class threshold by the validation precision of that class: 1 − (1 − τ)·p', () => {
    // τ = 184/255, precision 0.59 → 255 − 71·0.59 = 213.1 → level 214 (rounded up: at least that sure); a precise class keeps its level.
    expect(precisionScaledLevels([184, 200, null, 100], [0.59, 1, 0.5, null])).toEqual([Math.ceil((1 - (1 - 184 / 255) * 0.59) * 255 - 1e-9), 200, null, 100])
    expect(precisionScaledLevels([184], [0.59])[0]).toBe(214)
    // Never right on validation: nothing of that class is kept, not even the most confident pixels.
    const [none] = precisionScaledLevels([10], [0])
    expect(applyThresholds(Uint8Array.from([0, 0]), Uint8Array.from([255, 10]), [none])).toEqual(Uint8Array.from([255, 255]))
  })
})
