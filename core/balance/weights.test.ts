import { describe, expect, it } from 'vitest'
import { classFrequencies, effectiveNumberWeights, inverseFrequencyWeights, median, medianFrequencyWeights } from './weights'

describe('median-frequency weights', () => {
  it('reproduces the worked example of fully labeled 512×512 images', () => {
    const pixels = [3.13914322e9, 8.32395811e8, 2.22764968e8]
    const images = [16000, 15412, 14356]
    // Every image is fully labeled, so each image that contains c adds all its 512×512 pixels to
    // "labeled pixels of the images that contain c".
    const containingPixels = images.map((n) => n * 512 * 512)
    const { frequency, weights, missing } = medianFrequencyWeights(pixels, containingPixels)
    const expectedFreq = [0.74843, 0.20603, 0.059193]
    const expectedWeights = [0.275283, 1, 3.480627]
    frequency.forEach((f, c) => expect(f).toBeCloseTo(expectedFreq[c], 6))
    weights.forEach((w, c) => expect(w).toBeCloseTo(expectedWeights[c], 6))
    expect(missing).toEqual([])
  })

  it('gives a class without pixels weight 0 and flags it', () => {
    const r = medianFrequencyWeights([10, 0, 30, 60], [100, 0, 100, 100])
    expect(r.missing).toEqual([1])
    expect(r.weights[1]).toBe(0)
    // present frequencies 0.1, 0.3, 0.6 → median 0.3
    expect(r.weights[0]).toBeCloseTo(3, 12)
    expect(r.weights[2]).toBeCloseTo(1, 12)
    expect(r.weights[3]).toBeCloseTo(0.5, 12)
  })

  it('uses the mean of the middle two for an even number of classes', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([])).toBe(0)
    expect(classFrequencies([1, 0], [4, 0])).toEqual([0.25, 0])
  })
})

describe('inverse-frequency weights', () => {
  it('are proportional to 1/pixels with mean 1 over present classes', () => {
    const { weights, missing } = inverseFrequencyWeights([100, 300, 0])
    // raw 1/100 and 1/300 → mean 1 → 1.5 and 0.5
    expect(weights[0]).toBeCloseTo(1.5, 12)
    expect(weights[1]).toBeCloseTo(0.5, 12)
    expect(weights[2]).toBe(0)
    expect(missing).toEqual([2])
  })

  it('are all zero when nothing is labeled', () => {
    expect(inverseFrequencyWeights([0, 0]).weights).toEqual([0, 0])
  })
})

describe('effective-number weights', () => {
  it('match (1 − β)/(1 − β^n) normalised to mean 1', () => {
    // β = 0.9: n=1 → 0.1/0.1 = 1; n=10 → 0.1/(1 − 0.9^10) = 0.153534; mean-1 scale = 2/1.153534
    const { weights } = effectiveNumberWeights([1, 10], 0.9)
    expect(weights[0]).toBeCloseTo(1.733805, 5)
    expect(weights[1]).toBeCloseTo(0.266195, 5)
  })

  it('default β 0.9999 keeps small counts apart and saturates large ones', () => {
    const small = effectiveNumberWeights([100, 1000]).weights
    expect(small[0] / small[1]).toBeCloseTo((1 - 0.9999 ** 1000) / (1 - 0.9999 ** 100), 6)
    const large = effectiveNumberWeights([1e8, 1e9]).weights
    expect(large[0]).toBeCloseTo(1, 9)
    expect(large[1]).toBeCloseTo(1, 9)
  })

  it('rejects β outside [0, 1) and gives missing classes 0', () => {
    expect(() => effectiveNumberWeights([1], 1)).toThrow(/β/)
    expect(effectiveNumberWeights([0, 5], 0).weights).toEqual([0, 1])
  })
})
