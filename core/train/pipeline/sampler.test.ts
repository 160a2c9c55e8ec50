import { describe, expect, it } from 'vitest'
import { Rng } from '../loop/rng'
import { classRarity } from './class-index'
import { imageWeight, WeightedRandomSampler } from './sampler'

/** Pearson's chi-square statistic of observed counts against expected probabilities. */
function chiSquare(observed: readonly number[], probs: readonly number[]): number {
  const n = observed.reduce((a, b) => a + b, 0)
  return observed.reduce((s, o, i) => s + (o - n * probs[i]) ** 2 / (n * probs[i]), 0)
}

describe('class-aware sampling', () => {
  it('weighs classes by rarity, the most common at 1, capped, absent at 0', () => {
    expect(classRarity([10000, 2500, 100, 0])).toEqual([1, 2, 10, 0])
    expect(classRarity([10000, 2500, 1], { power: 1, maxWeight: 50 })).toEqual([1, 4, 50])
  })

  it('weighs an image by the rarest class it really contains', () => {
    const rarity = [1, 2, 10]
    expect(imageWeight([5000, 0, 0], rarity)).toBe(1)
    expect(imageWeight([5000, 300, 0], rarity)).toBe(2)
    expect(imageWeight([5000, 300, 16], rarity)).toBe(10)
    expect(imageWeight([5000, 300, 4], rarity)).toBe(2.5)
    expect(imageWeight([5000, 300, 4], rarity, { presencePixels: 64 })).toBe(2)
    expect(imageWeight([0, 0, 0], rarity)).toBe(0)
  })

  it('draws indices with frequencies that follow the weights (chi-square, 40,000 draws)', () => {
    const weights = [1, 2, 10, 0.5, 6.5]
    const sampler = new WeightedRandomSampler(weights)
    const probs = sampler.probabilities()
    expect(probs[2]).toBeCloseTo(0.5, 10)
    const rng = new Rng(11)
    const counts = new Array<number>(5).fill(0)
    for (const i of sampler.epoch(rng, 40_000)) counts[i]++
    // 4 degrees of freedom: P(chi² > 18.47) = 0.001.
    expect(chiSquare(counts, probs)).toBeLessThan(18.47)
    expect(counts[2]).toBeGreaterThan(counts[4])
    expect(counts[4]).toBeGreaterThan(counts[1])
  })

  it('never draws a zero-weight image and treats all-zero weights as uniform', () => {
    const rng = new Rng(2)
    expect(new WeightedRandomSampler([0, 1, 0]).epoch(rng, 500).every((i) => i === 1)).toBe(true)
    expect(new WeightedRandomSampler([0, 0]).probabilities()).toEqual([0.5, 0.5])
  })

  it('caps repeats of one image per epoch and shortens the epoch when every image is capped', () => {
    const sampler = new WeightedRandomSampler([100, 1, 1, 1])
    const rng = new Rng(5)
    const epoch = sampler.epoch(rng, 10, 2)
    expect(epoch.length).toBe(8)
    const counts = [0, 0, 0, 0]
    for (const i of epoch) counts[i]++
    expect(counts).toEqual([2, 2, 2, 2])
    const long = sampler.epoch(rng, 6, 3)
    expect(long.filter((i) => i === 0).length).toBeLessThanOrEqual(3)
  })

  it('is deterministic for a seed', () => {
    const sampler = new WeightedRandomSampler([3, 1, 2])
    expect(sampler.epoch(new Rng(9), 50, 30)).toEqual(sampler.epoch(new Rng(9), 50, 30))
  })

  it('rejects negative or non-finite weights and an empty list', () => {
    expect(() => new WeightedRandomSampler([])).toThrow(/no images/)
    expect(() => new WeightedRandomSampler([1, -1])).toThrow(/finite/)
    expect(() => new WeightedRandomSampler([1, Number.NaN])).toThrow(/finite/)
  })
})
