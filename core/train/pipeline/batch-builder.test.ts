import { describe, expect, it } from 'vitest'
import { Rng } from '../loop/rng'
import { TrainingPipeline, type PipelineOptions } from './batch-builder'
import { encodedImage, rectLabels } from './test-helpers'
import type { LabeledImage } from './types'

/** 9 images of class 0 with a band of class 1; image 9 also holds one 5×5 object of class 2. */
function dataset(): LabeledImage[] {
  return Array.from({ length: 9 }, (_, i) => {
    const rects = [{ cls: 1, x0: 0, y0: 40, x1: 64, y1: 52 }]
    if (i === 8) rects.push({ cls: 2, x0: 50, y0: 6, x1: 55, y1: 11 })
    const img = encodedImage(64, 64, rectLabels(64, 64, 0, rects))
    for (let p = 0; p < 64 * 64; p++) img.data[p * 3 + 1] = i
    return img
  })
}

const base: PipelineOptions = { tileSize: 32, batchSize: 4, numClasses: 3, sampling: 'uniform', rareCrop: 0, copyPaste: 0, augment: 'none', epochLength: 16, seed: 1 }

/** Share of tiles over `n` draws that contain class 2. */
function rareShare(p: TrainingPipeline, n: number, seed: number): number {
  const rng = new Rng(seed)
  let hits = 0
  for (let i = 0; i < n; i++) if (p.nextTile(rng).labels.includes(2)) hits++
  return hits / n
}

describe('training pipeline', () => {
  it('packs batches [B,S,S,C] float32 and [B,S,S] int32, deterministic for a seed', () => {
    const p = new TrainingPipeline(dataset(), { ...base, augment: 'strong', copyPaste: 0.5, rareCrop: 0.5, sampling: 'class-aware' })
    const a = p.nextBatch(new Rng(3))
    expect(a.pixels.length).toBe(4 * 32 * 32 * 3)
    expect(a.labels.length).toBe(4 * 32 * 32)
    expect(a.labels).toBeInstanceOf(Int32Array)
    for (const l of new Set(a.labels)) expect([0, 1, 2, 255]).toContain(l)
    const q = new TrainingPipeline(dataset(), { ...base, augment: 'strong', copyPaste: 0.5, rareCrop: 0.5, sampling: 'class-aware' })
    expect(q.nextBatch(new Rng(3))).toEqual(a)
  })

  it('derives rarity, rare classes and image weights from the training labels', () => {
    const info = new TrainingPipeline(dataset(), { ...base, sampling: 'class-aware', copyPaste: 0.3 }).info()
    expect(info.rareClasses).toEqual([1, 2])
    expect(info.rarity[0]).toBe(1)
    expect(info.rarity[2]).toBe(10)
    expect(info.imageWeights[8]).toBeGreaterThan(3 * info.imageWeights[0])
    expect(info.bankSize).toBe(1)
  })

  it('each pipeline stage raises how often tiles show the rare class', () => {
    const uniform = rareShare(new TrainingPipeline(dataset(), base), 1200, 5)
    const sampled = rareShare(new TrainingPipeline(dataset(), { ...base, sampling: 'class-aware' }), 1200, 5)
    const cropped = rareShare(new TrainingPipeline(dataset(), { ...base, sampling: 'class-aware', rareCrop: 0.6 }), 1200, 5)
    const pasted = rareShare(new TrainingPipeline(dataset(), { ...base, sampling: 'class-aware', rareCrop: 0.6, copyPaste: 0.5 }), 1200, 5)
    expect(uniform).toBeLessThan(0.1)
    expect(sampled).toBeGreaterThan(2 * uniform)
    expect(cropped).toBeGreaterThan(sampled + 0.1)
    expect(pasted).toBeGreaterThan(cropped + 0.1)
  })

  it('follows an epoch plan that respects the repeat cap', () => {
    const p = new TrainingPipeline(dataset(), { ...base, sampling: 'class-aware', epochLength: 18, maxRepeats: 2 })
    const rng = new Rng(1)
    const counts = new Array<number>(9).fill(0)
    for (let i = 0; i < 18; i++) counts[p.nextImage(rng)]++
    expect(counts).toEqual(new Array(9).fill(2))
  })

  it('rejects no images and mixed channel counts', () => {
    expect(() => new TrainingPipeline([], base)).toThrow(/no training images/)
    const grey: LabeledImage = { width: 4, height: 4, channels: 1, data: new Float32Array(16), labels: new Uint8Array(16) }
    expect(() => new TrainingPipeline([dataset()[0], grey], base)).toThrow(/mix 3 and 1 channels/)
  })
})
