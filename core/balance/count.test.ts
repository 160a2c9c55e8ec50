import { describe, expect, it } from 'vitest'
import { AppError } from '../contract'
import { countClassPixels, histogram256 } from './count'

/** Deterministic pseudo-random bytes (LCG), so the test data never changes. */
function lcgBytes(n: number, seed: number, values: readonly number[]): Uint8Array {
  const out = new Uint8Array(n)
  let s = seed >>> 0
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    out[i] = values[s % values.length]
  }
  return out
}

function naive(mask: Uint8Array, classCount: number): number[] {
  const out = new Array<number>(classCount).fill(0)
  for (const v of mask) if (v !== 255) out[v]++
  return out
}

describe('countClassPixels', () => {
  it('counts each class and never counts 255', () => {
    const mask = Uint8Array.from([0, 0, 1, 255, 2, 2, 2, 255, 255, 1])
    expect(Array.from(countClassPixels(mask, 3))).toEqual([2, 2, 3])
  })

  it('matches a naive count on unaligned views, runs and odd tails', () => {
    const noisy = lcgBytes(10_007, 7, [0, 1, 2, 3, 255])
    const runs = new Uint8Array(4099)
    runs.fill(1, 0, 2000)
    runs.fill(255, 2000, 3001)
    runs.fill(3, 3001)
    for (const base of [noisy, runs]) {
      for (const offset of [0, 1, 2, 3]) {
        const view = base.subarray(offset, base.length - offset)
        expect(Array.from(countClassPixels(view, 4))).toEqual(naive(view, 4))
      }
    }
  })

  it('counts blocks of repeated words that hold different bytes', () => {
    const pattern = new Uint8Array(2048 + 5)
    for (let i = 0; i < pattern.length; i++) pattern[i] = i % 4 === 3 ? 255 : i % 4
    for (const offset of [0, 1]) {
      const view = pattern.subarray(offset)
      expect(Array.from(countClassPixels(view, 3))).toEqual(naive(view, 3))
    }
  })

  it('handles masks shorter than a word', () => {
    expect(Array.from(countClassPixels(Uint8Array.from([1, 255, 1]).subarray(1), 2))).toEqual([0, 1])
    expect(Array.from(countClassPixels(new Uint8Array(0), 2))).toEqual([0, 0])
  })

  it('rejects a class index the project does not have, naming the file', () => {
    const mask = Uint8Array.from([0, 1, 7, 7])
    let caught: unknown
    try {
      countClassPixels(mask, 3, 'masks/a.png')
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(AppError)
    expect((caught as AppError).code).toBe('MASK_CLASS')
    expect((caught as AppError).message).toContain('masks/a.png')
    expect((caught as AppError).message).toContain('class index 7')
  })

  it('histogram256 sums to the mask length', () => {
    const bytes = lcgBytes(999, 3, [0, 17, 200, 255])
    const hist = histogram256(bytes)
    expect(hist.reduce((a, b) => a + b, 0)).toBe(999)
    expect(hist[17]).toBe(naive(bytes.map((v) => (v === 17 ? 0 : 255)), 1)[0])
  })
})
