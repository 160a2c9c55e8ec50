import { describe, expect, it } from 'vitest'
import { Rng } from '../loop/rng'
import { augmentedView, colourJitter, dihedral, gaussianBlur, resizeBilinear } from './views'

const ramp = (size: number, channels: number): Float32Array => Float32Array.from({ length: size * size * channels }, (_, i) => i)

describe('SimCLR views', () => {
  it('has 8 distinct flips/rotations, each a permutation of the pixels', () => {
    const tile = ramp(4, 2)
    const seen = new Set<string>()
    for (let k = 0; k < 8; k++) {
      const t = dihedral(tile, 4, 2, k)
      expect([...t].sort((a, b) => a - b)).toEqual([...tile])
      // Channels of a pixel stay together.
      for (let p = 0; p < 16; p++) expect(t[p * 2 + 1] - t[p * 2]).toBe(1)
      seen.add(t.join(','))
    }
    expect(seen.size).toBe(8)
    // k = 1 is a quarter turn: four of them give the tile back.
    let r = tile
    for (let i = 0; i < 4; i++) r = dihedral(r, 4, 2, 1)
    expect([...r]).toEqual([...tile])
  })

  it('resizes bilinearly: identity at the same size, exact on a linear ramp', () => {
    const img = ramp(6, 1)
    expect([...resizeBilinear(img, 6, 1, { x0: 0, y0: 0, w: 6, h: 6 }, 6)]).toEqual([...img])
    // A 4×4 window at (1,1) shrunk to 2×2 samples the window at (0.5, 0.5) and (2.5, 2.5): v = 6y + x.
    const small = resizeBilinear(img, 6, 1, { x0: 1, y0: 1, w: 4, h: 4 }, 2)
    expect([...small]).toEqual([7 + 3.5, 7 + 3.5 + 2, 7 + 3.5 + 12, 7 + 3.5 + 14])
  })

  it('blur keeps a constant tile and smooths a spike; jitter is affine per band', () => {
    const flat = new Float32Array(8 * 8 * 3).fill(0.7)
    for (const v of gaussianBlur(flat, 8, 3, 1.2)) expect(v).toBeCloseTo(0.7, 6)
    const spike = new Float32Array(9 * 9)
    spike[4 * 9 + 4] = 1
    const blurred = gaussianBlur(spike, 9, 1, 1)
    expect(blurred[4 * 9 + 4]).toBeLessThan(0.5)
    expect(blurred.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
    const tile = Float32Array.from([0, 10, 1, 20, 2, 30])
    colourJitter(tile, 2, new Rng(4), 0.4)
    // Band 0 was 0,1,2 and stays evenly spaced (an affine map); band 1 likewise.
    expect(tile[2] - tile[0]).toBeCloseTo(tile[4] - tile[2], 5)
    expect(tile[3] - tile[1]).toBeCloseTo(tile[5] - tile[3], 5)
  })

  it('makes two different views of one window, of the tile size, reproducibly', () => {
    const w = ramp(48, 3)
    const rng = new Rng(2)
    const a = augmentedView(w, 48, 48, 3, 32, rng)
    const b = augmentedView(w, 48, 48, 3, 32, rng)
    expect(a.length).toBe(32 * 32 * 3)
    expect([...a]).not.toEqual([...b])
    expect([...augmentedView(w, 48, 48, 3, 32, new Rng(2))]).toEqual([...a])
  })
})
