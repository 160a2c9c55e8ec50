import { describe, expect, it } from 'vitest'
import { accumulate, type ImageClassCounts } from './accumulator'
import { balanceWarnings, formatShare, recommendPreset } from './advice'
import { balanceReport, computeBalance, weightsForScheme } from './stats'

const names = ['background', 'building', 'vehicle']

/** 40 images: vehicle 0.4% of labeled pixels in 3 of them. */
function rareVehicleImages(): ImageClassCounts[] {
  const images: ImageClassCounts[] = []
  for (let i = 0; i < 40; i++) images.push({ counts: [7000, 3000, 0] })
  // total labeled = 400,000; vehicle = 1,600 pixels = 0.4%, taken from background
  for (const [i, v] of [534, 533, 533].entries()) images[i] = { counts: [7000 - v, 3000, v] }
  return images
}

describe('formatShare', () => {
  it('keeps two significant digits for tiny shares and whole percents for large ones', () => {
    expect(formatShare(0)).toBe('0%')
    expect(formatShare(0.004)).toBe('0.4%')
    expect(formatShare(0.00041)).toBe('0.041%')
    expect(formatShare(0.025)).toBe('2.5%')
    expect(formatShare(0.02)).toBe('2%')
    expect(formatShare(0.4567)).toBe('46%')
  })
})

describe('balanceWarnings', () => {
  it('says which class is rare, with its share and image count', () => {
    const stats = computeBalance(accumulate(rareVehicleImages(), 3).totals(), { names })
    const warnings = balanceWarnings(stats)
    expect(warnings.map((w) => w.message)).toEqual([
      'vehicle: 0.4% of labeled pixels, in 3 of 40 images — label more of it, or train with focal loss, OHEM or copy-paste',
    ])
    expect(warnings[0]).toMatchObject({ index: 2, kind: 'rare', images: 3, labeledImages: 40 })
  })

  it('flags classes in few images and classes with no labels', () => {
    const images: ImageClassCounts[] = [{ counts: [50, 50, 0] }, ...Array.from({ length: 19 }, () => ({ counts: [100, 0, 0] }))]
    const warnings = balanceWarnings(computeBalance(accumulate(images, 3).totals(), { names }))
    expect(warnings.map((w) => [w.name, w.kind])).toEqual([
      ['building', 'few-images'],
      ['vehicle', 'missing'],
    ])
    expect(warnings[0].message).toBe(
      'building: 2.5% of labeled pixels, in 1 of 20 images — label more of it, or train with focal loss, OHEM or copy-paste',
    )
  })

  it('says nothing before anything is labeled', () => {
    expect(balanceWarnings(computeBalance(accumulate([], 3).totals()))).toEqual([])
  })
})

describe('recommendPreset', () => {
  it('recommends rare-objects when a class is under 1%', () => {
    const r = recommendPreset(computeBalance(accumulate(rareVehicleImages(), 3).totals(), { names }))
    expect(r.preset).toBe('rare-objects')
    expect(r.rareClasses).toEqual([2])
    expect(r.reason).toContain('vehicle (0.4%)')
  })

  it('recommends balanced for moderate imbalance and plain for balanced labels', () => {
    const moderate = computeBalance(accumulate([{ counts: [800, 150, 50] }], 3).totals(), { names })
    expect(recommendPreset(moderate).preset).toBe('balanced')
    expect(recommendPreset(moderate).reason).toContain('16.0×')
    const even = computeBalance(accumulate([{ counts: [400, 300, 300] }], 3).totals(), { names })
    expect(recommendPreset(even).preset).toBe('plain')
    expect(recommendPreset(computeBalance(accumulate([], 2).totals())).preset).toBe('plain')
  })
})

describe('computeBalance and balanceReport', () => {
  it('gives per-class numbers and every weight scheme, per label source', () => {
    const acc = accumulate(
      [
        { counts: [60, 40], source: 'human' },
        { counts: [100, 0], source: 'pseudo-accepted' },
      ],
      2,
    )
    const report = balanceReport(acc, { names: ['a', 'b'] })
    expect(report.all.classes).toEqual([
      { index: 0, name: 'a', pixels: 160, share: 0.8, images: 2, frequency: 0.8 },
      { index: 1, name: 'b', pixels: 40, share: 0.2, images: 1, frequency: 0.4 },
    ])
    expect(report.all.weights.medianFrequency[0]).toBeCloseTo(0.6 / 0.8, 12)
    expect(report.all.weights.medianFrequency[1]).toBeCloseTo(0.6 / 0.4, 12)
    expect(report.all.weights.inverseFrequency[0]).toBeCloseTo(0.4, 12)
    expect(report.human.classes[1].share).toBeCloseTo(0.4, 12)
    expect(report.pseudo.missing).toEqual([1])
    expect(report.pseudo.weights.effectiveNumber).toEqual([1, 0])
    expect(computeBalance(acc.totals()).classes[0].name).toBe('class 0')
    expect(weightsForScheme(report.all, 'median')).toEqual(report.all.weights.medianFrequency)
    expect(weightsForScheme(report.all, 'inverse')).toEqual(report.all.weights.inverseFrequency)
    expect(weightsForScheme(report.all, 'effective')).toEqual(report.all.weights.effectiveNumber)
    expect(weightsForScheme(report.all, 'none')).toBeNull()
  })
})
