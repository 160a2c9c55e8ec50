import { describe, expect, it } from 'vitest'
import type { PixelImage, TrainingSource } from '../loop/data-source'
import { Rng } from '../loop/rng'
import { UnlabeledPool } from './unlabeled-pool'

/** A source of grey 8×8 images of constant value 100 + id, counting reads. */
function greySource(): { source: TrainingSource; reads: number[] } {
  const reads: number[] = []
  const source: TrainingSource = {
    classes: () => [],
    labeledImages: async () => [],
    pixels: async (id): Promise<PixelImage> => {
      reads.push(id)
      return { width: 8, height: 8, channels: 1, data: new Uint8Array(64).fill(100 + id) }
    },
    mask: async () => new Uint8Array(64).fill(255),
  }
  return { source, reads }
}

const refs = (count: number) => Array.from({ length: count }, (_, i) => ({ id: i + 1, name: `u${i + 1}.png`, width: 8, height: 8 }))

describe('the unlabeled pool', () => {
  it('cuts normalised weak tiles in the model channels, padding an image smaller than the tile with 255', async () => {
    const { source } = greySource()
    const pool = (await UnlabeledPool.load({ source, refs: refs(1), channels: 3, normalisation: { mean: [50, 60, 70], std: [10, 20, 40] }, rng: new Rng(1) })) as UnlabeledPool
    expect(pool.size).toBe(1)
    const rng = new Rng(2)
    for (let i = 0; i < 8; i++) {
      const t = pool.weakTile(rng, 12)
      expect([t.width, t.height, t.channels]).toEqual([12, 12, 3])
      const inside = [...t.labels].filter((l) => l === 0).length
      expect(inside).toBe(64)
      expect([...t.labels].filter((l) => l === 255).length).toBe(144 - 64)
      for (let p = 0; p < 144; p++) {
        const want = t.labels[p] === 0 ? [(101 - 50) / 10, (101 - 60) / 20, (101 - 70) / 40] : [0, 0, 0]
        expect(Array.from(t.data.subarray(p * 3, p * 3 + 3))).toEqual(want.map((v) => Math.fround(v)))
      }
    }
    // A tile smaller than the image lies inside it: no padding.
    expect([...pool.weakTile(rng, 4).labels].every((l) => l === 0)).toBe(true)
  })

  it('reads images until the memory cap and says how many the project has', async () => {
    const { source, reads } = greySource()
    const pool = (await UnlabeledPool.load({ source, refs: refs(3), channels: 1, normalisation: { mean: [0], std: [1] }, rng: new Rng(1), maxBytes: 130 })) as UnlabeledPool
    expect(pool.size).toBe(2)
    expect(pool.available).toBe(3)
    expect(reads).toHaveLength(2)
    // At least one image is read whatever the cap.
    const tiny = await UnlabeledPool.load({ source: greySource().source, refs: refs(3), channels: 1, normalisation: { mean: [0], std: [1] }, rng: new Rng(1), maxBytes: 1 })
    expect(tiny?.size).toBe(1)
    expect(await UnlabeledPool.load({ source, refs: [], channels: 1, normalisation: { mean: [0], std: [1] }, rng: new Rng(1) })).toBeNull()
  })
})
