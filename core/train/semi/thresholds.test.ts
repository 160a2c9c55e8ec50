import { describe, expect, it } from 'vitest'
import { ClassThresholds } from './thresholds'

/** `majority` pixels of class 0 at p = 0.99 and `rare` pixels of class 1 at p = 0.86 (pixel-major). */
function probs(majority: number, rare: number): Float32Array {
  const out = new Float32Array((majority + rare) * 2)
  for (let p = 0; p < majority; p++) out.set([0.99, 0.01], p * 2)
  for (let p = majority; p < majority + rare; p++) out.set([0.14, 0.86], p * 2)
  return out
}

describe('per-class confidence thresholds', () => {
  it('keeps a share of targets for a rare class the teacher is less sure of, where one global threshold gives it none', () => {
    const t = new ClassThresholds(2)
    // Nothing seen yet: every class at the floor (FlexMatch's warm-up).
    expect(t.thresholds()).toEqual([0.7, 0.7])
    const first = t.select(probs(100, 10))
    expect(first.kept).toEqual([100, 10])
    expect(first.pixels).toBe(110)
    // Rates: class 0 confident (≥ 0.95) 100 / 100, class 1 0 / 10; unsure 10 / 110 → β₀ = 1, β₁ = 0.
    const [t0, t1] = t.thresholds()
    expect(t0).toBeCloseTo(0.95, 10)
    expect(t1).toBeCloseTo(0.7, 10)
    const second = t.select(probs(100, 10))
    expect(second.kept).toEqual([100, 10])
    expect(Array.from(second.targets.subarray(100))).toEqual(new Array(10).fill(1))
    expect(second.kept[1] / second.pixels).toBeCloseTo(10 / 110, 10)
    // One global threshold of 0.95 would keep none of the rare pixels.
    expect(Array.from(probs(100, 10)).filter((v, i) => i % 2 === 1 && v >= 0.95)).toHaveLength(0)
  })

  it('gives a young teacher that is sure of nothing low thresholds instead of none ever passing', () => {
    const t = new ClassThresholds(2)
    const unsure = new Float32Array(200).map((_, i) => (i % 2 === 0 ? 0.8 : 0.2))
    for (let i = 0; i < 5; i++) expect(t.select(unsure).kept).toEqual([100, 0])
    expect(t.thresholds()).toEqual([0.7, 0.7])
  })

  it('follows FlexMatch between the floor and the base: τ·β/(2 − β) for a class half as often confident', () => {
    const t = new ClassThresholds(2, { base: 0.9, floor: 0.1, momentum: 0 })
    // Class 0: 4 of 4 at ≥ 0.9; class 1: 2 of 4; unsure 2 of 8 → β₁ = 0.5 / max(1, 0.25) → τ₁ = 0.9 · 0.5 / 1.5 = 0.3.
    const p = new Float32Array([0.95, 0.05, 0.95, 0.05, 0.95, 0.05, 0.95, 0.05, 0.05, 0.95, 0.05, 0.95, 0.4, 0.6, 0.4, 0.6])
    t.select(p)
    const [t0, t1] = t.thresholds()
    expect(t0).toBeCloseTo(0.9, 10)
    expect(t1).toBeCloseTo(0.3, 10)
  })

  it('makes a class the teacher predicts imprecisely on validation more certain, and one it never gets right unreachable', () => {
    const t = new ClassThresholds(2)
    t.select(probs(100, 10))
    t.setPrecision([1, 0.4])
    // τ₁ = 1 − (1 − 0.7) · 0.4 = 0.88 > 0.86: none of the rare pixels passes.
    expect(t.thresholds()[1]).toBeCloseTo(0.88, 10)
    expect(t.select(probs(100, 10)).kept).toEqual([100, 0])
    t.setPrecision([1, 0])
    expect(t.thresholds()[1]).toBe(1)
    expect(t.select(probs(100, 10)).kept[1]).toBe(0)
    // Unknown precision (null) leaves the threshold alone.
    t.setPrecision([null, null])
    expect(t.thresholds()[1]).toBeCloseTo(0.7, 10)
    expect(t.precisions()).toEqual([null, null])
  })

  it('gives padding pixels no target and does not count them', () => {
    const t = new ClassThresholds(2)
    const skip = new Uint8Array(110)
    skip.fill(255, 0, 50)
    const s = t.select(probs(100, 10), skip)
    expect(s.pixels).toBe(60)
    expect(s.kept).toEqual([50, 10])
    expect(Array.from(s.targets.subarray(0, 50)).every((v) => v === 255)).toBe(true)
  })
})
