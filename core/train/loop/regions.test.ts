import { describe, expect, it } from 'vitest'
import { TrainConfig } from '../../contract'
import { prepareData } from './prepare'
import { BAND_MARGIN, regionSplit } from './regions'
import { memorySource, squaresDataset } from './test-data'
import type { TrainImage } from './data-source'

function image(id: number, width: number, height: number): TrainImage {
  const labels = new Uint8Array(width * height)
  for (let i = 0; i < labels.length; i++) labels[i] = (i * 7 + id) % 3 === 0 ? 1 : 0
  return { id, name: `i${id}`, width, height, channels: 1, data: Float32Array.from(labels), labels }
}

describe('validation on held-out regions', () => {
  it('holds out a band of every image and never trains on its labels (nor a margin around it)', () => {
    const images = [image(1, 40, 100), image(2, 30, 60), image(3, 50, 80)]
    const split = regionSplit(images, 0.2, 7, [1, 5])
    expect(split.validation).toHaveLength(3)
    expect(split.heldOut).toBeGreaterThan(0.19)
    expect(split.heldOut).toBeLessThan(0.21)
    for (const v of split.validation) {
      const src = images.find((i) => i.id === v.id) as TrainImage
      const train = split.train.find((t) => t.id === v.id) as TrainImage
      const y0 = Number(/rows (\d+)/.exec(v.name)?.[1])
      expect(v.height).toBe(Math.round(src.height * 0.2))
      expect(Array.from(v.labels)).toEqual(Array.from(src.labels.subarray(y0 * src.width, (y0 + v.height) * src.width)))
      for (let y = Math.max(0, y0 - BAND_MARGIN); y < Math.min(src.height, y0 + v.height + BAND_MARGIN); y++) {
        expect(train.labels.subarray(y * src.width, (y + 1) * src.width).every((l) => l === 255)).toBe(true)
      }
      expect(train.labels.some((l) => l !== 255)).toBe(true)
    }
  })

  it('never validates on a pseudo-labeled image, by regions or by whole images', async () => {
    const data = squaresDataset(14, 48, 3)
    const base = memorySource(data)
    const source = { ...base, labeledImages: async () => (await base.labeledImages()).map((r) => ({ ...r, pseudo: r.id % 2 === 0 })) }
    const pseudo = data.filter((d) => d.id % 2 === 0).map((d) => d.id)
    for (const validation of ['regions', 'images'] as const) {
      const prepared = await prepareData(source, TrainConfig.parse({ validation, validationFraction: 0.3, tileSize: 32 }))
      expect(prepared.validationSetup.mode).toBe(validation)
      expect(prepared.validation.length).toBeGreaterThan(0)
      for (const v of prepared.validation) expect(pseudo).not.toContain(v.id)
      expect(prepared.train.map((t) => t.id)).toEqual(expect.arrayContaining(pseudo))
    }
  })

  it('validates on regions under auto when fewer than 12 images are labeled, on whole images from 12', async () => {
    const few = await prepareData(memorySource(squaresDataset(6, 48, 4)), TrainConfig.parse({ tileSize: 32 }))
    expect(few.validationSetup.mode).toBe('regions')
    expect(few.train).toHaveLength(6)
    const many = await prepareData(memorySource(squaresDataset(12, 48, 4)), TrainConfig.parse({ tileSize: 32 }))
    expect(many.validationSetup.mode).toBe('images')
  })
})
