import { describe, expect, it } from 'vitest'
import { countClasses, rareContent, rarityWeights, reviewScore, summarisePixels, weightedUncertainty } from './scoring'

describe('review scores', () => {
  it('rarity: the rarest labeled class is 1, a 100× commoner one 0.1, an unlabeled class 1', () => {
    const r = rarityWeights([10000, 100, 0])
    expect(r[1]).toBeCloseTo(1)
    expect(r[0]).toBeCloseTo(0.1)
    expect(r[2]).toBe(1)
    expect(rarityWeights([0, 0])).toEqual([1, 1])
  })

  it('summarises probabilities into arg-max, confidence and entropy', () => {
    const s = summarisePixels(Float32Array.from([0.5, 0.5, 1, 0, 0.2, 0.8]), 2)
    expect(Array.from(s.mask)).toEqual([0, 0, 1])
    expect(s.confidence[2]).toBeCloseTo(0.8)
    expect(s.entropy[0]).toBeCloseTo(Math.log(2))
    expect(s.entropy[1]).toBe(0)
  })

  it('weights doubt about a rare class above the same doubt about a common one', () => {
    const rarity = [0.1, 1]
    const entropy = Float32Array.from([Math.log(2), Math.log(2)])
    const onCommon = weightedUncertainty(Uint8Array.from([0, 0]), entropy, rarity)
    const onRare = weightedUncertainty(Uint8Array.from([1, 1]), entropy, rarity)
    expect(onRare).toBeCloseTo(1)
    expect(onCommon).toBeCloseTo(0.1)
  })

  it('rare content is the rarity-weighted share, and the score their mean', () => {
    const rarity = [0.1, 1]
    expect(rareContent([90, 10], rarity)).toBeCloseTo(0.9 * 0.1 + 0.1)
    expect(rareContent([0, 0], rarity)).toBe(0)
    expect(reviewScore(0.4, 0.2)).toBeCloseTo(0.3)
    // An image with more of the rare class ranks above one with less, at equal uncertainty.
    expect(reviewScore(0.1, rareContent([50, 50], rarity))).toBeGreaterThan(reviewScore(0.1, rareContent([99, 1], rarity)))
    expect(countClasses(Uint8Array.from([0, 1, 1, 255, 7]), 2)).toEqual([1, 2])
  })
})
