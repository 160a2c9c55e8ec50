import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUNet } from '../model/unet'
import { enableMcDropout, predictProbabilities, predictProbabilityRows } from './tta'

describe('TTA and MC-dropout probabilities', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })
  const model = createUNet({ inChannels: 1, numClasses: 3, depth: 3, baseFilters: 8, dropout: 0.5, batchNorm: true, seed: 3 })
  afterAll(() => model.dispose())
  const size = 40
  const data = new Float32Array(size * size).map((_, i) => Math.sin(i / 7))
  const image = { id: 1, name: 'x', width: size, height: size, channels: 1, data }
  const opts = { tileSize: 32, numClasses: 3 }

  it('gives a distribution per pixel, with and without flips', () => {
    for (const tta of [false, true]) {
      const p = predictProbabilities(model, image, { ...opts, tta, mcDropout: 0 })
      expect(p.length).toBe(size * size * 3)
      for (let i = 0; i < size * size; i += 97) expect(p[i * 3] + p[i * 3 + 1] + p[i * 3 + 2]).toBeCloseTo(1, 4)
    }
    // Deterministic without MC dropout.
    expect(predictProbabilities(model, image, { ...opts, tta: true, mcDropout: 0 })).toEqual(predictProbabilities(model, image, { ...opts, tta: true, mcDropout: 0 }))
  })

  it('MC dropout makes passes differ, and the model is deterministic again afterwards', () => {
    const before = predictProbabilities(model, image, { ...opts, tta: false, mcDropout: 0 })
    const a = predictProbabilities(model, image, { ...opts, tta: false, mcDropout: 2 })
    const b = predictProbabilities(model, image, { ...opts, tta: false, mcDropout: 2 })
    expect(a).not.toEqual(b)
    expect(predictProbabilities(model, image, { ...opts, tta: false, mcDropout: 0 })).toEqual(before)
    const noDropout = createUNet({ inChannels: 1, numClasses: 2, depth: 3, baseFilters: 8, dropout: 0, seed: 1 })
    expect(enableMcDropout(noDropout)).toBe(false)
    noDropout.dispose()
  })

  it('gives the same probabilities band by band as for the whole image', async () => {
    const whole = predictProbabilities(model, image, { ...opts, tta: true, mcDropout: 0 })
    const banded = new Float32Array(whole.length)
    const tops: number[] = []
    await predictProbabilityRows(model, { ...image, rows: (y0, y1) => data.subarray(y0 * size, y1 * size) }, { ...opts, tta: true, mcDropout: 0 }, (b) => {
      tops.push(b.y0)
      banded.set(b.probs, b.y0 * size * 3)
    })
    expect(tops).toEqual([0, 8])
    expect(banded).toEqual(whole)
  })
})
