import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUNet } from '../model/unet'
import { BlendAccumulator, tileGrid } from '../sliding-window'
import { cutTile } from './batch'
import { toChannels } from './data-source'
import { normalise } from './normalisation'
import { argmaxInto, predictImage, predictRows, readTidy, softmaxRunner, tiling } from './predict'
import { pixelRows } from './project-source'

/** The whole-image path this module replaced: every tile into one full-size accumulator. */
function wholeImageProbs(model: ReturnType<typeof createUNet>, image: { width: number; height: number; channels: number; data: Float32Array }, size: number, classes: number): Float32Array {
  const overlap = Math.floor(size / 4)
  const acc = new BlendAccumulator(image.width, image.height, classes, size, overlap)
  const src = { id: 0, name: 'x', ...image, labels: new Uint8Array(image.width * image.height) }
  const run = softmaxRunner(model, size, image.channels)
  for (const r of tileGrid(image.width, image.height, size, overlap)) acc.add(r, run(cutTile({ image: src, x: r.x, y: r.y }, size).pixels, 1))
  return acc.result()
}

describe('banded prediction', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })
  const classes = 3
  const model = createUNet({ inChannels: 2, numClasses: classes, depth: 3, baseFilters: 8, dropout: 0, batchNorm: true, seed: 5 })
  afterAll(() => model.dispose())

  const image = (width: number, height: number): { id: number; name: string; width: number; height: number; channels: number; data: Float32Array } => ({
    id: 1, name: 'x', width, height, channels: 2,
    data: new Float32Array(width * height * 2).map((_, i) => Math.sin(i / 5) + Math.cos(i / 23)),
  })

  it('reads a tensor made under tf.tidy and frees it and every intermediate (the tile runners rely on it)', () => {
    const before = tf.memory().numTensors
    const values = readTidy(() => tf.softmax(tf.tensor2d([0, 0, Math.log(3), 0], [2, 2])))
    expect(Array.from(values)).toEqual([0.5, 0.5, expect.closeTo(0.75, 6), expect.closeTo(0.25, 6)])
    expect(tf.memory().numTensors).toBe(before)
    const run = softmaxRunner(model, 16, 2)
    const probs = run(new Float32Array(2 * 16 * 16 * 2).fill(0.5), 2)
    expect(probs.length).toBe(2 * 16 * 16 * classes)
    expect(probs[0] + probs[1] + probs[2]).toBeCloseTo(1, 5)
    expect(tf.memory().numTensors).toBe(before)
  })

  it('gives the whole-image result, row for row, on images smaller, equal to and larger than a tile', async () => {
    for (const [w, h] of [[20, 13], [32, 32], [75, 61], [33, 100]]) {
      const img = image(w, h)
      const expected = wholeImageProbs(model, img, 32, classes)
      const got = new Float32Array(w * h * classes)
      let next = 0
      await predictRows({ ...img, rows: (y0, y1) => img.data.slice(y0 * w * 2, y1 * w * 2) }, softmaxRunner(model, 32, 2), tiling({ tileSize: 32, numClasses: classes, batch: 3 }), (b) => {
        expect(b.y0).toBe(next)
        next += b.rows
        got.set(b.probs, b.y0 * w * classes)
      })
      expect(next).toBe(h)
      let maxDiff = 0
      for (let i = 0; i < got.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i] - expected[i]))
      expect(maxDiff).toBeLessThan(1e-6)

      const p = predictImage(model, img, { tileSize: 32, numClasses: classes })
      for (let px = 0; px < w * h; px++) {
        const probs = expected.subarray(px * classes, (px + 1) * classes)
        const best = Math.max(...probs)
        expect(p.confidence[px]).toBeCloseTo(best, 6)
        expect(probs[p.mask[px]]).toBeCloseTo(best, 6)
      }
    }
  })

  it('asks the source for one band of rows at a time', async () => {
    const img = image(40, 90)
    const asked: [number, number][] = []
    await predictRows({ ...img, rows: (y0, y1) => {
      asked.push([y0, y1])
      return img.data.slice(y0 * 80, y1 * 80)
    } }, softmaxRunner(model, 32, 2), tiling({ tileSize: 32, numClasses: classes }), () => undefined)
    // Tiles of 32 with an overlap of 8: tops at 0, 24, 48, and the last aligned to the bottom (58).
    expect(asked).toEqual([[0, 32], [24, 56], [48, 80], [58, 90]])
  })

  it('normalises decoded 16-bit pixels band by band exactly like the whole image at once', async () => {
    const width = 50
    const height = 70
    const px = { width, height, channels: 3, data: new Uint16Array(width * height * 3).map((_, i) => (i * 977) % 65536) }
    const norm = { mean: [30000, 33000], std: [18000, 19000] }
    const whole = predictImage(model, { id: 1, name: 'x', width, height, channels: 2, data: normalise(toChannels(px, 2), norm) }, { tileSize: 32, numClasses: classes })
    const mask = new Uint8Array(width * height)
    const confidence = new Float32Array(width * height)
    await predictRows(pixelRows(px, 2, norm), softmaxRunner(model, 32, 2), tiling({ tileSize: 32, numClasses: classes }), (b) => argmaxInto(b.probs, classes, mask, confidence, b.y0 * width))
    expect(mask).toEqual(whole.mask)
    expect(confidence).toEqual(whole.confidence)
  })
})
