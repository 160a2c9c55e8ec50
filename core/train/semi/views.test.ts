import { describe, expect, it } from 'vitest'
import { Rng } from '../loop/rng'
import { cutBox, cutMix, pasteBox, strongPixels, type TargetTile } from './views'

/** A tile whose every pixel value (all channels) equals its target, so misaligned moves show. */
function tile(size: number, channels: number, offset: number): TargetTile {
  const targets = new Uint8Array(size * size)
  const pixels = new Float32Array(size * size * channels)
  for (let p = 0; p < size * size; p++) {
    targets[p] = (p + offset) % 5
    for (let k = 0; k < channels; k++) pixels[p * channels + k] = targets[p]
  }
  return { size, channels, pixels, targets }
}

describe('strong views', () => {
  it('perturbs a copy of the pixels and leaves the weak view alone', () => {
    const data = new Float32Array(16 * 16 * 3).map((_, i) => Math.sin(i))
    const weak = { width: 16, height: 16, channels: 3, data: data.slice(), labels: new Uint8Array(256) }
    const rng = new Rng(3)
    let changed = 0
    for (let i = 0; i < 10; i++) {
      const strong = strongPixels(weak, rng)
      expect(strong.length).toBe(data.length)
      if (strong.some((v, j) => v !== data[j])) changed++
    }
    expect(Array.from(weak.data)).toEqual(Array.from(data))
    expect(changed).toBeGreaterThan(5)
  })

  it('cuts boxes of a quarter to a half of the tile, inside it', () => {
    const rng = new Rng(5)
    for (let i = 0; i < 200; i++) {
      const b = cutBox(32, rng)
      expect(b.x).toBeGreaterThanOrEqual(0)
      expect(b.y).toBeGreaterThanOrEqual(0)
      expect(b.x + b.w).toBeLessThanOrEqual(32)
      expect(b.y + b.h).toBeLessThanOrEqual(32)
      const share = (b.w * b.h) / (32 * 32)
      expect(share).toBeGreaterThan(0.2)
      expect(share).toBeLessThan(0.55)
    }
  })

  it('pastes a box of pixels together with its targets', () => {
    const into = tile(8, 2, 0)
    const from = tile(8, 2, 3)
    pasteBox(into, from, { x: 2, y: 1, w: 3, h: 4 })
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        const p = y * 8 + x
        const inside = x >= 2 && x < 5 && y >= 1 && y < 5
        expect(into.targets[p]).toBe(inside ? from.targets[p] : (p % 5))
        expect(into.pixels[p * 2]).toBe(into.targets[p])
        expect(into.pixels[p * 2 + 1]).toBe(into.targets[p])
      }
    }
  })

  it('CutMix keeps every pixel aligned with its target and takes boxes from the tiles as they were', () => {
    const rng = new Rng(11)
    let mixed = 0
    let moved = 0
    for (let round = 0; round < 25; round++) {
      const tiles = [tile(16, 3, 0), tile(16, 3, 1), tile(16, 3, 2), tile(16, 3, 4)]
      mixed += cutMix(tiles, rng)
      tiles.forEach((t, i) => {
        for (let p = 0; p < 256; p++) {
          expect(t.pixels[p * 3]).toBe(t.targets[p])
          if (t.targets[p] !== (p + [0, 1, 2, 4][i]) % 5) {
            moved++
            // A moved pixel comes from the next tile, as that tile was before any paste.
            expect(t.targets[p]).toBe((p + [0, 1, 2, 4][(i + 1) % 4]) % 5)
          }
        }
      })
    }
    // Each tile gets a box with probability ½: 100 tiles.
    expect(mixed).toBeGreaterThan(30)
    expect(mixed).toBeLessThan(70)
    expect(moved).toBeGreaterThan(0)
    expect(cutMix([tile(16, 3, 0)], new Rng(1))).toBe(0)
  })
})
