import { describe, expect, it } from 'vitest'
import { Rng } from '../loop/rng'
import { encodedImage } from './test-helpers'
import { centredOrigin, cutTile, randomOrigin } from './tiles'

describe('tiles', () => {
  const img = encodedImage(5, 3, Array.from({ length: 15 }, (_, i) => i % 4))

  it('copies the window and pads an image smaller than the tile with 0 pixels and 255 labels', () => {
    const tile = cutTile(img, -2, -1, 8, 6)
    expect(tile.width).toBe(8)
    expect(tile.height).toBe(6)
    for (let ty = 0; ty < 6; ty++) {
      for (let tx = 0; tx < 8; tx++) {
        const x = tx - 2
        const y = ty - 1
        const d = ty * 8 + tx
        const inside = x >= 0 && y >= 0 && x < 5 && y < 3
        expect(tile.labels[d]).toBe(inside ? img.labels[y * 5 + x] : 255)
        expect(Array.from(tile.data.subarray(d * 3, d * 3 + 3))).toEqual(inside ? [img.labels[y * 5 + x], x, y] : [0, 0, 0])
      }
    }
  })

  it('pads the right and bottom edges of a window reaching past the image', () => {
    const tile = cutTile(img, 3, 1, 4)
    expect(Array.from(tile.labels)).toEqual([
      img.labels[8], img.labels[9], 255, 255,
      img.labels[13], img.labels[14], 255, 255,
      255, 255, 255, 255,
      255, 255, 255, 255,
    ])
  })

  it('returns an all-padding tile for a window entirely outside the image', () => {
    const tile = cutTile(img, 10, 10, 4)
    expect(tile.labels.every((l) => l === 255)).toBe(true)
    expect(tile.data.every((v) => v === 0)).toBe(true)
  })

  it('places random origins inside a large image and the image inside the tile of a small one', () => {
    const rng = new Rng(3)
    for (let i = 0; i < 200; i++) {
      const big = randomOrigin(100, 32, rng)
      expect(big).toBeGreaterThanOrEqual(0)
      expect(big).toBeLessThanOrEqual(68)
      const small = randomOrigin(20, 32, rng)
      expect(small).toBeLessThanOrEqual(0)
      expect(small).toBeGreaterThanOrEqual(-12)
    }
  })

  it('centres on a pixel and keeps the pixel in the tile near edges and in small images', () => {
    expect(centredOrigin(50, 100, 32)).toBe(34)
    expect(centredOrigin(2, 100, 32)).toBe(0)
    expect(centredOrigin(99, 100, 32)).toBe(68)
    for (let p = 0; p < 20; p++) {
      const o = centredOrigin(p, 20, 32)
      expect(o).toBeLessThanOrEqual(p)
      expect(o + 32).toBeGreaterThan(p)
      expect(o).toBeLessThanOrEqual(0)
      expect(o).toBeGreaterThanOrEqual(-12)
    }
  })
})
