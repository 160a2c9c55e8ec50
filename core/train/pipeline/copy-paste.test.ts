import { describe, expect, it } from 'vitest'
import { Rng } from '../loop/rng'
import { alphaMatte, connectedComponents, extractComponents, insideDistance } from './components'
import { ComponentBank, copyPaste, pasteComponent } from './copy-paste'
import { encodedImage, rectLabels } from './test-helpers'
import type { LabeledImage } from './types'

/** 40×30 source: two 6×6 class-2 squares touching at one corner, a 2×2 speck of 2, a 10×4 bar of class 1. */
function source(): LabeledImage {
  const labels = rectLabels(40, 30, 0, [
    { cls: 2, x0: 2, y0: 2, x1: 8, y1: 8 },
    { cls: 2, x0: 8, y0: 8, x1: 14, y1: 14 },
    { cls: 2, x0: 30, y0: 3, x1: 32, y1: 5 },
    { cls: 1, x0: 20, y0: 20, x1: 30, y1: 24 },
  ])
  const img = encodedImage(40, 30, labels)
  for (let p = 0; p < 1200; p++) img.data[p * 3] = 100 + p
  return img
}

function background(size: number): LabeledImage {
  const tile = encodedImage(size, size, new Array(size * size).fill(0))
  tile.data.fill(-7)
  return tile
}

describe('connected components', () => {
  it('joins diagonal neighbours with 8-connectivity only', () => {
    const img = source()
    expect(connectedComponents(img.labels, 40, 30, [2], 8).members.map((m) => m.length)).toEqual([72, 4])
    expect(connectedComponents(img.labels, 40, 30, [2], 4).members.map((m) => m.length)).toEqual([36, 4, 36])
    expect(connectedComponents(img.labels, 40, 30, [1, 2], 4).members.length).toBe(4)
  })

  it('applies size limits and keeps pixels, shape and class', () => {
    const comps = extractComponents(source(), { classes: [1, 2], connectivity: 4, minSize: 10, maxSize: 38, feather: 0 })
    expect(comps.map((c) => [c.cls, c.w, c.h, c.area])).toEqual([[2, 6, 6, 36], [2, 6, 6, 36]])
    const bar = extractComponents(source(), { classes: [1], feather: 0 })[0]
    expect([bar.w, bar.h, bar.area]).toEqual([10, 4, 40])
    expect(bar.pixels[0]).toBe(100 + 20 * 40 + 20)
    expect(bar.shape.every((s) => s === 1)).toBe(true)
    expect(extractComponents(source(), { classes: [1], maxSide: 8 })).toEqual([])
  })

  it('feathers the edge from the distance transform; a hard edge is the shape', () => {
    const shape = new Uint8Array(25).fill(1)
    expect(Array.from(insideDistance(shape, 5, 5)).filter((_, i) => i === 12 || i === 0 || i === 6)).toEqual([1, 2, 3])
    const soft = alphaMatte(shape, 5, 5, 2)
    expect([soft[0], soft[6], soft[12]]).toEqual([0.5, 1, 1])
    expect(Array.from(alphaMatte(shape, 5, 5, 0))).toEqual(new Array(25).fill(1))
  })
})

describe('copy-paste', () => {
  const [comp] = extractComponents(source(), { classes: [1], feather: 2 })

  it('writes the class where the shape is and the source pixels exactly where alpha is 1', () => {
    const tile = background(32)
    pasteComponent(tile, comp, 5, 9)
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const d = y * 32 + x
        const inBox = x >= 5 && x < 15 && y >= 9 && y < 13
        expect(tile.labels[d]).toBe(inBox ? 1 : 0)
        if (!inBox) {
          expect(tile.data[d * 3]).toBe(-7)
          continue
        }
        const q = (y - 9) * comp.w + (x - 5)
        const a = comp.alpha[q]
        for (let k = 0; k < 3; k++) expect(tile.data[d * 3 + k]).toBeCloseTo(a * comp.pixels[q * 3 + k] + (1 - a) * -7, 4)
        if (a === 1) expect(tile.data[d * 3]).toBe(comp.pixels[q * 3])
      }
    }
    expect(comp.alpha.some((a) => a === 1)).toBe(true)
    expect(comp.alpha.some((a) => a > 0 && a < 1)).toBe(true)
  })

  it('clips at every edge without wrapping into other rows', () => {
    for (const [x, y] of [[27, 3], [-6, 10], [4, -2], [26, 30], [-8, -3]]) {
      const tile = background(32)
      pasteComponent(tile, comp, x, y)
      let wrong = 0
      for (let ty = 0; ty < 32; ty++) {
        for (let tx = 0; tx < 32; tx++) {
          const inBox = tx >= x && tx < x + comp.w && ty >= y && ty < y + comp.h
          if (tile.labels[ty * 32 + tx] !== (inBox ? 1 : 0)) wrong++
        }
      }
      expect(wrong).toBe(0)
      expect(tile.labels.length).toBe(1024)
      expect(tile.data.length).toBe(3072)
    }
  })

  it('pastes with the configured probability and count, and every paste stays aligned with the mask', () => {
    const comps = extractComponents(source(), { classes: [1, 2], connectivity: 4, feather: 0 })
    const bank = new ComponentBank(comps, [0, 1, 3])
    expect(bank.classes()).toEqual([1, 2])
    const rng = new Rng(6)
    let pasted = 0
    for (let i = 0; i < 400; i++) {
      const tile = background(24)
      const placements = copyPaste(tile, bank, { probability: 0.25, maxCount: 3 }, rng)
      expect(placements.length).toBeLessThanOrEqual(3)
      if (placements.length > 0) pasted++
      for (const pl of placements) {
        expect(pl.x).toBeGreaterThanOrEqual(-Math.floor(pl.comp.w / 2))
        expect(pl.x + Math.ceil(pl.comp.w / 2)).toBeLessThanOrEqual(24)
      }
      let misaligned = 0
      for (let p = 0; p < 576; p++) if (tile.labels[p] === 0 ? tile.data[p * 3] !== -7 : tile.data[p * 3] < 100) misaligned++
      expect(misaligned).toBe(0)
    }
    expect(pasted / 400).toBeGreaterThan(0.19)
    expect(pasted / 400).toBeLessThan(0.31)
  })

  it('draws classes by weight and never a class of weight 0', () => {
    const comps = extractComponents(source(), { classes: [1, 2], connectivity: 4 })
    const rng = new Rng(2)
    const only2 = new ComponentBank(comps, [0, 0, 1])
    for (let i = 0; i < 50; i++) expect(only2.draw(rng)?.cls).toBe(2)
    expect(new ComponentBank([], [1, 1]).draw(rng)).toBeNull()
    const tile = background(8)
    expect(copyPaste(tile, new ComponentBank([], [1]), { probability: 1, maxCount: 2 }, rng)).toEqual([])
  })
})
