import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { DEFAULT_OVERLAY_OPACITY } from '../../core/contract/palette'
import { generateSample } from '../../core/sample'

const rgb = (hex: string): number[] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))

describe('the sample project\'s class colours', () => {
  it('stay visible over the pixels they label at the default overlay opacity', async () => {
    const sample = await generateSample({ count: 8 })
    const colours = sample.classes.map((c) => rgb(c.color))
    const sums = colours.map(() => ({ shift: 0, n: 0 }))
    for (const img of sample.images) {
      if (!img.mask) continue
      const { data } = await sharp(img.png).removeAlpha().raw().toBuffer({ resolveWithObject: true })
      img.mask.forEach((c, p) => {
        if (c === 255) return
        const [r, g, b] = colours[c]
        // How far the overlay moves the pixel: opacity × the distance between label colour and pixel.
        sums[c].shift += DEFAULT_OVERLAY_OPACITY * Math.hypot(r - data[p * 3], g - data[p * 3 + 1], b - data[p * 3 + 2])
        sums[c].n++
      })
    }
    const shift = Object.fromEntries(sample.classes.map((c, i) => [c.name, Math.round(sums[i].shift / sums[i].n)]))
    // The grey road (#8c8c96) on grey asphalt moved its pixels by 30 on average (measured with this test): the label all but vanished.
    for (const name of ['road', 'building', 'vehicle']) expect(shift[name], `${name}: ${JSON.stringify(shift)}`).toBeGreaterThanOrEqual(70)
    expect(sample.classes[0]).toEqual({ name: 'ground', color: '#8d8d8d' })
  })
})
