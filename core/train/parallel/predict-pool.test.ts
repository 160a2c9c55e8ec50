import * as tf from '@tensorflow/tfjs-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../backend'
import { memoryRows, predictRows, softmaxRunner, tiling } from '../loop/predict'
import { Rng } from '../loop/rng'
import type { ModelSpec } from '../loop/state'
import { createUNet } from '../model/unet'
import { predictProbabilityRows } from '../pseudo/tta'
import { startPredictPool } from './predict-pool'

const spec: ModelSpec = { inChannels: 3, numClasses: 3, depth: 3, baseFilters: 8, dropout: 0, batchNorm: true, batchNormMomentum: 0.9, auxBoundaryHead: false }

function image(width: number, height: number): { id: number; name: string; width: number; height: number; channels: number; data: Float32Array } {
  const rng = new Rng(21)
  return { id: 1, name: 'img', width, height, channels: 3, data: Float32Array.from({ length: width * height * 3 }, () => rng.next() * 2 - 1) }
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]))
  return m
}

describe('prediction on replica threads', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'wasm' })
  })

  it('gives the probabilities one thread gives, plain and with flips averaged', async () => {
    const model = createUNet({ ...spec, seed: 9 })
    const img = image(150, 70)
    const opts = { ...tiling({ tileSize: 32, numClasses: 3 }), batch: 2 }
    const collect = async (many: Parameters<typeof predictRows>[2]['many']): Promise<Float32Array> => {
      const out = new Float32Array(img.width * img.height * 3)
      await predictRows(memoryRows(img), softmaxRunner(model, 32, 3), { ...opts, many }, (b) => out.set(b.probs, b.y0 * img.width * 3))
      return out
    }
    const collectTta = async (pool: Awaited<ReturnType<typeof startPredictPool>>): Promise<Float32Array> => {
      const out = new Float32Array(img.width * img.height * 3)
      await predictProbabilityRows(model, memoryRows(img), { tileSize: 32, numClasses: 3, tta: true, mcDropout: 0, batch: 2 }, (b) => out.set(b.probs, b.y0 * img.width * 3), pool)
      return out
    }
    const single = await collect(undefined)
    const singleTta = await collectTta(null)
    const pool = await startPredictPool(model, spec, 2)
    expect(pool?.workers).toBe(2)
    try {
      const parallel = await collect(pool?.tileRunner({ size: 32, channels: 3, tta: false, passes: 1 }))
      const parallelTta = await collectTta(pool)
      expect(maxDiff(single, parallel)).toBeLessThan(1e-6)
      expect(maxDiff(singleTta, parallelTta)).toBeLessThan(1e-6)
      // Not trivially equal: flips change the result, and every pixel's probabilities sum to 1.
      expect(maxDiff(single, singleTta)).toBeGreaterThan(1e-4)
      expect(parallel[0] + parallel[1] + parallel[2]).toBeCloseTo(1, 5)
    } finally {
      await pool?.close()
      model.dispose()
    }
  }, 60_000)

  it('stays on one thread when one is asked for', async () => {
    const model = createUNet({ ...spec, seed: 9 })
    expect(await startPredictPool(model, spec, 1)).toBeNull()
    model.dispose()
    expect(tf.getBackend()).toBe('wasm')
  })
})
