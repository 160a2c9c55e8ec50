import { describe, expect, it } from 'vitest'
import { axisOrigins, BlendAccumulator, blendWeights, tileGrid } from './sliding-window'

describe('sliding window', () => {
  it('places one tile when the image fits', () => {
    expect(axisOrigins(100, 256, 32)).toEqual([0])
    expect(tileGrid(100, 80, 256, 32)).toEqual([{ x: 0, y: 0, width: 100, height: 80 }])
  })

  it('covers the axis with the required overlap and aligns the last tile to the end', () => {
    const o = axisOrigins(600, 256, 64)
    expect(o).toEqual([0, 192, 344])
    for (let i = 1; i < o.length; i++) expect(o[i - 1] + 256 - o[i]).toBeGreaterThanOrEqual(64)
    expect(o[o.length - 1] + 256).toBe(600)
  })

  it('covers every pixel of a large image', () => {
    const w = 1000
    const h = 700
    const cover = new Uint8Array(w * h)
    for (const r of tileGrid(w, h, 256, 32)) {
      for (let y = r.y; y < r.y + r.height; y++) for (let x = r.x; x < r.x + r.width; x++) cover[y * w + x] = 1
    }
    expect(cover.every((v) => v === 1)).toBe(true)
  })

  it('rejects an overlap as large as the tile', () => {
    expect(() => axisOrigins(500, 64, 64)).toThrow(/overlap 64/)
  })

  it('weights are highest in the middle and positive at the edge', () => {
    const w = blendWeights(8, 3)
    expect(w[0]).toBeGreaterThan(0)
    expect(w[4 * 8 + 4]).toBe(1)
    expect(w[0]).toBeLessThan(w[1 * 8 + 1])
  })

  it('blends identical tile predictions back to the same probabilities', () => {
    const classes = 3
    const tile = 16
    const acc = new BlendAccumulator(40, 30, classes, tile, 4)
    const probs = new Float32Array(tile * tile * classes)
    for (let i = 0; i < tile * tile; i++) probs.set([0.2, 0.5, 0.3], i * classes)
    for (const r of tileGrid(40, 30, tile, 4)) acc.add(r, probs)
    const out = acc.result()
    for (let i = 0; i < out.length; i += classes) {
      expect(out[i]).toBeCloseTo(0.2, 6)
      expect(out[i + 1]).toBeCloseTo(0.5, 6)
    }
  })

  it('averages two disagreeing tiles in their overlap by weight', () => {
    const acc = new BlendAccumulator(12, 8, 1, 8, 4)
    const rects = tileGrid(12, 8, 8, 4)
    expect(rects.map((r) => r.x)).toEqual([0, 4])
    acc.add(rects[0], new Float32Array(64).fill(0))
    acc.add(rects[1], new Float32Array(64).fill(1))
    const out = acc.result()
    expect(out[0]).toBe(0)
    expect(out[11]).toBe(1)
    const mid = out[2 * 12 + 6]
    expect(mid).toBeGreaterThan(0)
    expect(mid).toBeLessThan(1)
  })
})
