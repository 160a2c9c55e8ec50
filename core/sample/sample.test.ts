import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { decodeImage, maskClassCounts } from '../imaging'
import { generateSample } from './index'

describe('generateSample', () => {
  it('is deterministic for a seed and differs between seeds', async () => {
    const a = await generateSample({ seed: 5, count: 3, size: 64 })
    const b = await generateSample({ seed: 5, count: 3, size: 64 })
    const c = await generateSample({ seed: 6, count: 3, size: 64 })
    expect(a.images.map((image, k) => image.png.equals(b.images[k].png))).toEqual([true, true, true])
    expect(Array.from(a.images[0].mask ?? [])).toEqual(Array.from(b.images[0].mask ?? []))
    expect(a.images[0].png.equals(c.images[0].png)).toBe(false)
  })

  it('makes 40 labeled, scribbled and unlabeled 256×256 aerial tiles with a rare vehicle class', async () => {
    const sample = await generateSample()
    expect(sample.classes.map((c) => c.name)).toEqual(['ground', 'road', 'building', 'vehicle'])
    for (const c of sample.classes) expect(c.color).toMatch(/^#[0-9a-f]{6}$/)
    expect(sample.images).toHaveLength(40)
    expect(sample.images[0].name).toBe('sample-001.png')
    expect(sample.images[39].name).toBe('sample-040.png')

    const total = [0, 0, 0, 0]
    let labeled = 0
    const kinds: string[] = []
    for (const image of sample.images) {
      if (image.mask === null) {
        kinds.push('none')
        continue
      }
      expect(image.mask).toHaveLength(256 * 256)
      const counts = maskClassCounts(image.mask, 4)
      expect(counts.unknown).toEqual([])
      kinds.push(counts.labeled === 256 * 256 ? 'full' : 'scribble')
      if (counts.labeled < 256 * 256) expect(counts.labeled).toBeLessThan(256 * 256 * 0.2)
      counts.classPixels.forEach((n, c) => (total[c] += n))
      labeled += counts.labeled
    }
    expect(kinds.slice(0, 8)).toEqual(Array(8).fill('full'))
    expect(kinds.slice(8, 12)).toEqual(Array(4).fill('scribble'))
    expect(kinds.slice(12)).toEqual(Array(28).fill('none'))
    // Every class appears in the labeled data; vehicles are rare but present.
    for (const n of total) expect(n).toBeGreaterThan(0)
    expect(total[3] / labeled).toBeLessThan(0.01)
    expect(total[3] / labeled).toBeGreaterThan(0.0005)

    const decoded = await decodeImage(sample.images[0].png, sample.images[0].name)
    expect([decoded.width, decoded.height, decoded.bands, decoded.bitDepth, decoded.format]).toEqual([256, 256, 3, 8, 'png'])
  })

  it('gives the classes distinct colours in the image (learnable)', async () => {
    const sample = await generateSample({ count: 8 })
    const sums = Array.from({ length: 4 }, () => [0, 0, 0, 0])
    for (const image of sample.images) {
      const rgb = await sharp(image.png).raw().toBuffer()
      const mask = image.mask as Uint8Array
      for (let p = 0; p < mask.length; p++) {
        const s = sums[mask[p]]
        s[0] += rgb[p * 3]
        s[1] += rgb[p * 3 + 1]
        s[2] += rgb[p * 3 + 2]
        s[3]++
      }
    }
    const means = sums.map(([r, g, b, n]) => [r / n, g / n, b / n])
    // Ground is green, roads neutral grey; building and vehicle means are far from both.
    expect(means[0][1]).toBeGreaterThan(means[0][0] + 10)
    expect(Math.abs(means[1][0] - means[1][1])).toBeLessThan(8)
    for (let a = 0; a < 4; a++) {
      for (let b = a + 1; b < 4; b++) {
        const d = Math.hypot(means[a][0] - means[b][0], means[a][1] - means[b][1], means[a][2] - means[b][2])
        expect(d).toBeGreaterThan(20)
      }
    }
  })
})
