import { describe, expect, it } from 'vitest'
import { Rng } from '../loop/rng'
import { classRarity, indexImage } from './class-index'
import { rareCentredOrigin, tileOrigin } from './rare-crop'
import { rectLabels, encodedImage } from './test-helpers'
import { cutTile } from './tiles'

describe('rare-biased crops', () => {
  // 200×150 of class 0 with one 3×3 speck of class 2 (rare) and a band of class 1.
  const labels = rectLabels(200, 150, 0, [{ cls: 1, x0: 0, y0: 100, x1: 200, y1: 130 }, { cls: 2, x0: 170, y0: 12, x1: 173, y1: 15 }])
  const image = encodedImage(200, 150, labels)
  const rarity = classRarity([200 * 150 - 6000 - 9, 6000, 9])
  const index = indexImage(image, 3, rarity.map((r) => r > 1))

  it('lists only rare classes\' pixels, one entry per pixel', () => {
    expect(index.counts).toEqual([200 * 150 - 6009, 6000, 9])
    expect(index.pixels[0].length).toBe(0)
    expect(index.pixels[1].length).toBe(6000)
    expect(Array.from(index.pixels[2])).toEqual([12 * 200 + 170, 12 * 200 + 171, 12 * 200 + 172, 13 * 200 + 170, 13 * 200 + 171, 13 * 200 + 172, 14 * 200 + 170, 14 * 200 + 171, 14 * 200 + 172])
  })

  it('a rare-centred tile always contains a rare-class pixel, and the rarest class most often', () => {
    const rng = new Rng(4)
    let speck = 0
    for (let i = 0; i < 500; i++) {
      const o = rareCentredOrigin(image, index, rarity, { width: 32, height: 32 }, rng)
      expect(o).not.toBeNull()
      const tile = cutTile(image, o?.x ?? 0, o?.y ?? 0, 32)
      expect(tile.labels.some((l) => l === 1 || l === 2)).toBe(true)
      if (tile.labels.includes(2)) speck++
    }
    // Class 2 is drawn with probability 10 / (10 + rarity[1]) ≈ 0.82.
    expect(speck / 500).toBeGreaterThan(0.7)
  })

  it('returns null when the image holds no rare class, and then falls back to a random crop', () => {
    const plain = encodedImage(64, 64, new Uint8Array(64 * 64))
    const ix = indexImage(plain, 3, [false, true, true])
    const rng = new Rng(1)
    expect(rareCentredOrigin(plain, ix, rarity, { width: 32, height: 32 }, rng)).toBeNull()
    expect(tileOrigin(plain, ix, rarity, { width: 32, height: 32 }, 1, rng).rare).toBe(false)
  })

  it('centres the requested share of tiles on rare pixels', () => {
    const rng = new Rng(8)
    let rare = 0
    for (let i = 0; i < 4000; i++) if (tileOrigin(image, index, rarity, { width: 32, height: 32 }, 0.3, rng).rare) rare++
    expect(rare / 4000).toBeGreaterThan(0.27)
    expect(rare / 4000).toBeLessThan(0.33)
  })
})
