import { describe, expect, it } from 'vitest'
import { TrainConfig } from '../../contract'
import { prepareData } from './prepare'
import { BAND_MARGIN, regionSplit } from './regions'
import { validationSample } from './race-phase'
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

describe('the race validation sample', () => {
  it('takes tiles from every image in turn, seeded, never more than asked, each with its own pixels and labels', () => {
    const images = [image(1, 64, 64), image(2, 96, 32), image(3, 32, 32)]
    const sample = validationSample(images, 32, 5, 9)
    expect(sample).toHaveLength(5)
    expect(sample.slice(0, 3).map((t) => t.id)).toEqual([1, 2, 3])
    for (const t of sample) {
      const src = images.find((i) => i.id === t.id) as TrainImage
      const [x, y] = (/@(\d+),(\d+)/.exec(t.name) as RegExpExecArray).slice(1).map(Number)
      expect(t.labels[0]).toBe(src.labels[y * src.width + x])
      expect(t.data[t.width * t.height - 1]).toBe(src.data[(y + t.height - 1) * src.width + x + t.width - 1])
    }
    expect(validationSample(images, 32, 5, 9).map((t) => t.name)).toEqual(sample.map((t) => t.name))
  })
})
