import * as tf from '@tensorflow/tfjs-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../backend'
import type { PixelImage } from '../loop/data-source'
import { Rng } from '../loop/rng'
import { createUNet } from '../model/unet'
import { pretrainEncoder, randomWindow, type PretrainProgress } from './pretrain'
import { loadPretrainedEncoder } from './pretrained'

/** RGB images, each with its own colour and stripe direction/frequency, so tiles are tellable apart. */
function stripes(count: number, size: number, seed: number): PixelImage[] {
  const rng = new Rng(seed)
  return Array.from({ length: count }, () => {
    const colour = [rng.int(256), rng.int(256), rng.int(256)]
    const angle = rng.next() * Math.PI
    const freq = 0.1 + rng.next() * 0.5
    const data = new Uint8Array(size * size * 3)
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const s = 0.5 + 0.5 * Math.sin(freq * (x * Math.cos(angle) + y * Math.sin(angle)))
        for (let c = 0; c < 3; c++) data[(y * size + x) * 3 + c] = Math.round(colour[c] * (0.4 + 0.6 * s))
      }
    }
    return { width: size, height: size, channels: 3, data }
  })
}

const spec = { inChannels: 3, depth: 3 as const, baseFilters: 8, batchNorm: true, batchNormMomentum: 0.8 }
const norm = { mean: [128, 128, 128], std: [64, 64, 64] }

describe('SimCLR pretraining', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'wasm' })
  })

  it('cuts normalised windows with the model\u2019s channels', () => {
    const grey: PixelImage = { width: 4, height: 3, channels: 1, data: Uint8Array.from({ length: 12 }, (_, i) => i * 10) }
    const w = randomWindow(grey, 32, 3, { mean: [10, 10, 10], std: [10, 10, 10] }, new Rng(1))
    expect([w.width, w.height]).toEqual([4, 3])
    expect(Array.from(w.data.slice(0, 6))).toEqual([-1, -1, -1, 0, 0, 0])
  })

  it('lowers NT-Xent over a short run, reports progress and returns a loadable encoder', async () => {
    const before = tf.memory().numTensors
    const progress: PretrainProgress[] = []
    const result = await pretrainEncoder({
      images: stripes(12, 48, 3), normalisation: norm, spec, epochs: 6, batchSize: 8, tileSize: 32,
      temperature: 0.5, lr: 3e-3, stepsPerEpoch: 6, projectionDim: 16, seed: 7, onProgress: (p) => progress.push(p),
    })
    expect(result.status).toBe('completed')
    expect(result.epochs).toBe(6)
    const losses = result.encoder?.losses ?? []
    expect(losses).toHaveLength(6)
    // Chance level for 8 pairs is ln(15) ≈ 2.71; learning must bring the last epochs clearly below the first.
    expect(losses[0]).toBeGreaterThan(1.5)
    expect((losses[4] + losses[5]) / 2).toBeLessThan(losses[0] - 0.2)
    expect(progress).toHaveLength(36)
    expect(progress[35]).toMatchObject({ epoch: 6, epochs: 6, step: 6, steps: 6 })
    expect(progress[35].etaSeconds).toBe(0)
    expect(tf.memory().numTensors).toBe(before)

    const unet = createUNet({ ...spec, numClasses: 3 })
    const copied = await loadPretrainedEncoder(unet, result.encoder as NonNullable<typeof result.encoder>)
    expect(copied).toContain('bottleneck_conv2')
    unet.dispose()
  })

  it('is reproducible with a seed', async () => {
    const run = async (): Promise<number[]> =>
      (await pretrainEncoder({ images: stripes(4, 32, 1), normalisation: norm, spec, epochs: 2, batchSize: 4, tileSize: 32, stepsPerEpoch: 2, seed: 11 })).encoder?.losses ?? []
    const a = await run()
    expect(await run()).toEqual(a)
  })

  it('stops within a step when cancelled and frees its tensors', async () => {
    const before = tf.memory().numTensors
    const controller = new AbortController()
    let steps = 0
    const result = await pretrainEncoder({
      images: stripes(4, 32, 2), normalisation: norm, spec, epochs: 5, batchSize: 4, tileSize: 32, stepsPerEpoch: 10, signal: controller.signal,
      onProgress: () => {
        if (++steps === 3) controller.abort()
      },
    })
    expect(result.status).toBe('cancelled')
    expect(steps).toBe(3)
    expect(result.epochs).toBe(0)
    expect(result.encoder).not.toBeNull()
    expect(tf.memory().numTensors).toBe(before)
    controller.abort()
    const none = await pretrainEncoder({ images: stripes(2, 32, 2), normalisation: norm, spec, epochs: 1, batchSize: 2, tileSize: 32, signal: controller.signal })
    expect(none).toEqual({ status: 'cancelled', epochs: 0, encoder: null })
  })

  it('rejects a batch of one and a tile the depth cannot halve, naming the file', async () => {
    const images = stripes(1, 32, 1)
    await expect(pretrainEncoder({ images, normalisation: null, spec, epochs: 1, batchSize: 1, tileSize: 32 })).rejects.toThrow(/pretrain\.ts.*batchSize/)
    await expect(pretrainEncoder({ images, normalisation: null, spec, epochs: 1, batchSize: 4, tileSize: 36 })).rejects.toThrow(/multiple of 2\^depth = 8/)
  })
})
