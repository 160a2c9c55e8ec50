import * as tf from '@tensorflow/tfjs-core'
import { Worker } from 'node:worker_threads'
import { beforeAll, describe, expect, it } from 'vitest'
import { TrainConfig, type EpochMetrics } from '../../contract'
import { selectBackend } from '../backend'
import { deserialiseModel } from './checkpoint'
import { toChannels } from './data-source'
import { normalise } from './normalisation'
import { predictImage } from './predict'
import type { CheckpointData } from './state'
import { memorySource, squaresDataset } from './test-data'
import { runTrainingLoop } from './train-loop'

const tiny = (over: Record<string, unknown> = {}): TrainConfig =>
  TrainConfig.parse({
    epochs: 3, tileSize: 32, batchSize: 4, model: { depth: 3, baseFilters: 8, dropout: 0.1 }, loss: { name: 'ce', classWeights: 'none' },
    learningRate: 0.01, schedule: 'constant', patience: 0, validationFraction: 0.25, augment: 'light', ...over,
  })

describe('training loop', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'wasm' })
  })

  it('learns bright squares on dark ground, keeps tensor memory flat and predicts images larger than a tile', async () => {
    const before = tf.memory().numTensors
    const counts: number[] = []
    const checkpoints: CheckpointData[] = []
    const result = await runTrainingLoop({
      runId: 1, config: tiny(), source: memorySource(squaresDataset(8, 64)),
      onEpoch: () => counts.push(tf.memory().numTensors),
      saveCheckpoint: (c) => void checkpoints.push(c),
    })
    expect(result.status).toBe('completed')
    expect(result.state.epochs.map((e) => e.epoch)).toEqual([1, 2, 3])
    const last = result.state.epochs[2]
    expect(last.macroF1).toBeGreaterThan(0.9)
    expect(last.perClass.map((c) => c.index)).toEqual([0, 1])
    expect(last.confusion.flat().reduce((a, b) => a + b, 0)).toBe(2 * 64 * 64)
    expect(result.state.best?.metric).toBe('macroF1')
    expect(new Set(counts).size).toBe(1)
    expect(tf.memory().numTensors).toBe(before)

    const best = checkpoints.find((c) => c.epoch === result.state.best?.epoch) as CheckpointData
    const model = await deserialiseModel(best.model)
    const [big] = squaresDataset(1, 96, 99)
    const width = 80
    const height = 72
    const crop = new Uint8Array(width * height * 3)
    const labels = new Uint8Array(width * height)
    for (let y = 0; y < height; y++) {
      crop.set(big.pixels.data.subarray(y * 96 * 3, (y * 96 + width) * 3) as Uint8Array, y * width * 3)
      labels.set(big.mask.subarray(y * 96, y * 96 + width), y * width)
    }
    const data = normalise(toChannels({ width, height, channels: 3, data: crop }, 3), best.state.normalisation)
    const p = predictImage(model, { id: 1, name: 'big', width, height, channels: 3, data }, { tileSize: 32, numClasses: 2 })
    model.dispose()
    expect(p.mask.length).toBe(width * height)
    let correct = 0
    for (let i = 0; i < labels.length; i++) if (p.mask[i] === labels[i]) correct++
    expect(correct / labels.length).toBeGreaterThan(0.95)
    expect(Math.min(...p.confidence)).toBeGreaterThanOrEqual(0.5 - 1e-6)
    expect(Math.max(...p.confidence)).toBeLessThanOrEqual(1 + 1e-6)
  })

  it('stops within a batch when cancelled and resumes from the last checkpoint at the next epoch', async () => {
    const controller = new AbortController()
    const checkpoints: CheckpointData[] = []
    const source = memorySource(squaresDataset(6, 64, 3))
    const first = await runTrainingLoop({
      runId: 2, config: tiny(), source, signal: controller.signal,
      saveCheckpoint: (c) => void checkpoints.push(c),
      onEpoch: () => controller.abort(),
    })
    expect(first.status).toBe('cancelled')
    expect(checkpoints.map((c) => c.epoch)).toEqual([1])
    const seen: EpochMetrics[] = []
    const resumed = await runTrainingLoop({
      runId: 2, config: tiny(), source,
      resume: { model: checkpoints[0].model, optimizer: checkpoints[0].optimizer, state: checkpoints[0].state },
      onEpoch: (m) => seen.push(m),
    })
    expect(resumed.status).toBe('completed')
    expect(seen.map((m) => m.epoch)).toEqual([2, 3])
    expect(resumed.state.epochs.map((m) => m.epoch)).toEqual([1, 2, 3])
    expect(resumed.state.epochs[0]).toEqual(checkpoints[0].state.epochs[0])

    const late = new AbortController()
    let batches = 0
    const cancelled = await runTrainingLoop({
      runId: 3, config: tiny({ epochs: 50 }), source, signal: late.signal,
      onProgress: (p) => {
        if (p.phase === 'training' && ++batches === 2) late.abort()
      },
    })
    expect(cancelled.status).toBe('cancelled')
    expect(batches).toBe(2)
    expect(cancelled.state.epochs).toEqual([])
  })

  it('gives the same first-epoch loss for the same seed on one backend (wasm)', async () => {
    const source = memorySource(squaresDataset(3, 32, 5))
    const firstLoss = async (seed: number): Promise<number> => {
      const config = tiny({ epochs: 1, seed, batchSize: 2, validationFraction: 0.34, model: { depth: 3, baseFilters: 8, dropout: 0.2 } })
      const r = await runTrainingLoop({ runId: 4, config, source })
      return r.state.epochs[0].trainLoss
    }
    const a = await firstLoss(7)
    const b = await firstLoss(7)
    const c = await firstLoss(8)
    expect(a).toBe(b)
    expect(c).not.toBe(a)
  })

  it('trains data-parallel on two threads: learns, repeats with the seed, keeps tensor memory flat', async () => {
    const source = memorySource(squaresDataset(8, 64))
    const config = tiny({ model: { depth: 3, baseFilters: 8, dropout: 0.2 } })
    const before = tf.memory().numTensors
    const full = await runTrainingLoop({ runId: 5, config, source, workers: 2 })
    expect(full.status).toBe('completed')
    expect(tf.memory().numTensors).toBe(before)
    expect(full.state.epochs[2].macroF1).toBeGreaterThan(0.9)
    const again = await runTrainingLoop({ runId: 6, config: { ...config, epochs: 1 }, source, workers: 2 })
    expect(again.state.epochs[0].trainLoss).toBe(full.state.epochs[0].trainLoss)
  }, 120_000)

  it('trains data-parallel with a boundary head, learned uncertainty weighting and dynamic class weights', async () => {
    const config = tiny({ epochs: 1, loss: { name: 'ce', classWeights: 'median', boundaryHead: true, uncertaintyWeighting: true, dynamicWeights: true } })
    const r = await runTrainingLoop({ runId: 8, config, source: memorySource(squaresDataset(6, 64)), workers: 2 })
    expect(r.status).toBe('completed')
    expect(Number.isFinite(r.state.epochs[0].trainLoss)).toBe(true)
    expect(r.state.epochs[0].confusion.flat().reduce((a, b) => a + b, 0)).toBeGreaterThan(0)
  }, 60_000)

  it('trains on one thread, and says why, when the data-parallel threads cannot start', async () => {
    const reasons: string[] = []
    const r = await runTrainingLoop({
      runId: 7, config: tiny({ epochs: 1 }), source: memorySource(squaresDataset(4, 64)), workers: 2,
      spawnReplica: () => new Worker(new URL('data:text/javascript,throw new Error("no replica here")')),
      onWorkers: (n, why) => reasons.push(`${n}: ${why}`),
    })
    expect(r.status).toBe('completed')
    expect(reasons).toHaveLength(1)
    expect(reasons[0]).toMatch(/^1: data-parallel threads did not start \(training worker 1 stopped: .*no replica here.*\); training on one thread$/)
  }, 60_000)
})
