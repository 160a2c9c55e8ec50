import { describe, expect, it } from 'vitest'
import { Rng } from '../loop/rng'
import { AUGMENT_PRESETS, augmentTile } from './augment'
import { flipHorizontal, flipVertical, rotate90, scale } from './geometric'
import { blur, blurKernel, brightness, contrast, gamma, gaussianNoise } from './photometric'
import { encodedImage, histogram } from './test-helpers'
import type { LabeledImage } from './types'

/** 7×5 image with classes 0..3 and some 255s; pixel channel 0 = label, 1 = x, 2 = y. */
function sample(): LabeledImage {
  const labels = Array.from({ length: 35 }, (_, i) => (i % 9 === 4 ? 255 : i % 4))
  return encodedImage(7, 5, labels)
}

/** Every labeled pixel's channel 0 still equals its label (pixels and mask moved together). */
function aligned(img: LabeledImage): boolean {
  for (let p = 0; p < img.labels.length; p++) if (img.labels[p] !== 255 && img.data[p * 3] !== img.labels[p]) return false
  return true
}

describe('geometric augmentation', () => {
  const img = sample()

  it('flips move pixel and label together to the mirrored position', () => {
    const h = flipHorizontal(img)
    const v = flipVertical(img)
    for (let y = 0; y < 5; y++) {
      for (let x = 0; x < 7; x++) {
        expect(h.labels[y * 7 + x]).toBe(img.labels[y * 7 + 6 - x])
        expect(h.data[(y * 7 + x) * 3 + 1]).toBe(6 - x)
        expect(v.labels[y * 7 + x]).toBe(img.labels[(4 - y) * 7 + x])
        expect(v.data[(y * 7 + x) * 3 + 2]).toBe(4 - y)
      }
    }
    expect(flipHorizontal(h)).toEqual(img)
    expect(flipVertical(v)).toEqual(img)
  })

  it('a quarter turn counter-clockwise maps (x, y) to (y, w − 1 − x) and four turns are the identity', () => {
    const r = rotate90(img, 1)
    expect([r.width, r.height]).toEqual([5, 7])
    for (let y = 0; y < 5; y++) {
      for (let x = 0; x < 7; x++) {
        const d = (6 - x) * 5 + y
        expect(r.labels[d]).toBe(img.labels[y * 7 + x])
        expect([r.data[d * 3 + 1], r.data[d * 3 + 2]]).toEqual([x, y])
      }
    }
    expect(rotate90(rotate90(rotate90(r, 1), 1), 1)).toEqual(img)
    expect(rotate90(rotate90(img, 1), 3)).toEqual(img)
    expect(rotate90(rotate90(img, 2), 2)).toEqual(img)
  })

  it('flips and rotations keep the exact class histogram, 255s included', () => {
    const before = histogram(img.labels)
    for (const out of [flipHorizontal(img), flipVertical(img), rotate90(img, 1), rotate90(img, 2), rotate90(img, 3)]) {
      expect(histogram(out.labels)).toEqual(before)
      expect(aligned(out)).toBe(true)
    }
  })

  it('zooming out pads with 255 and zero pixels; zooming in adds no label', () => {
    const big = encodedImage(32, 32, Array.from({ length: 1024 }, (_, i) => ((i >> 5) < 16 ? 1 : 2)))
    const out = scale(big, 0.5)
    expect(out.labels[0]).toBe(255)
    expect(out.labels[31 * 32 + 31]).toBe(255)
    expect(Array.from(out.data.subarray(0, 3))).toEqual([0, 0, 0])
    expect(out.labels[16 * 32 + 16]).toBe(2)
    expect(out.labels[15 * 32 + 16]).toBe(1)
    const labeled = out.labels.filter((l) => l !== 255).length
    expect(labeled).toBe(16 * 16)
    const zin = scale(big, 2)
    expect(new Set(zin.labels)).toEqual(new Set([1, 2]))
    expect(new Set(scale(img, 1.7).labels).size).toBeLessThanOrEqual(5)
    for (const l of scale(img, 0.8).labels) expect([0, 1, 2, 3, 255]).toContain(l)
  })
})

describe('photometric augmentation', () => {
  it('changes pixels but never the mask', () => {
    const rng = new Rng(3)
    const img = sample()
    const labels = img.labels.slice()
    const data = img.data.slice()
    brightness(img, 0.3)
    contrast(img, 1.4)
    gamma(img, 0.6)
    gaussianNoise(img, 0.2, rng)
    blur(img, blurKernel(1))
    blur(img, blurKernel(0, 1))
    expect(img.labels).toEqual(labels)
    expect(img.data).not.toEqual(data)
  })

  it('brightness adds, contrast scales about the mean, gamma keeps the range, blur keeps a constant image', () => {
    const flat = encodedImage(4, 4, new Array(16).fill(1))
    const before = flat.data.slice()
    brightness(flat, 0.5)
    expect(flat.data[0]).toBeCloseTo(before[0] + 0.5)
    const c = encodedImage(2, 1, [0, 0])
    c.data.set([0, 0, 0, 2, 0, 0])
    contrast(c, 2)
    expect(Array.from(c.data)).toEqual([-1, 0, 0, 3, 0, 0])
    const g = encodedImage(3, 1, [0, 0, 0])
    g.data.set([-1, 0, 0, 0, 0, 0, 1, 0, 0])
    gamma(g, 2)
    expect([g.data[0], g.data[3], g.data[6]]).toEqual([-1, -0.5, 1])
    const k = encodedImage(5, 5, new Array(25).fill(3))
    k.data.fill(2)
    blur(k, blurKernel(0, 1.2))
    for (const v of k.data) expect(v).toBeCloseTo(2, 5)
  })

  it('noise has the requested spread', () => {
    const img = encodedImage(100, 100, new Array(10000).fill(0))
    img.data.fill(0)
    gaussianNoise(img, 0.5, new Rng(1))
    let sq = 0
    for (const v of img.data) sq += v * v
    expect(Math.sqrt(sq / img.data.length)).toBeCloseTo(0.5, 1)
  })
})

describe('augmentation presets', () => {
  it('none returns the tile unchanged; light and strong keep pixels and labels aligned and never invent classes', () => {
    const img = sample()
    expect(augmentTile(img, AUGMENT_PRESETS.none, new Rng(1))).toEqual(img)
    const rng = new Rng(2)
    const square = encodedImage(16, 16, Array.from({ length: 256 }, (_, i) => (i % 37 === 0 ? 255 : i % 3)))
    const copy = structuredClone(square)
    for (let i = 0; i < 40; i++) {
      const out = augmentTile(square, AUGMENT_PRESETS.light, rng)
      expect(histogram(out.labels)).toEqual(histogram(square.labels))
      expect([out.width, out.height]).toEqual([16, 16])
      const strong = augmentTile(square, AUGMENT_PRESETS.strong, rng)
      for (const l of new Set(strong.labels)) expect([0, 1, 2, 255]).toContain(l)
    }
    expect(square).toEqual(copy)
  })

  it('is deterministic for a seed', () => {
    const img = sample()
    expect(augmentTile(img, AUGMENT_PRESETS.strong, new Rng(5))).toEqual(augmentTile(img, AUGMENT_PRESETS.strong, new Rng(5)))
  })
})
