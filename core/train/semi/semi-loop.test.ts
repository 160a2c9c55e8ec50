import * as tf from '@tensorflow/tfjs-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { TrainConfig, type RunReport } from '../../contract'
import { selectBackend } from '../backend'
import { memorySource, squaresDataset } from '../loop/test-data'
import { runTrainingLoop } from '../loop/train-loop'

const tiny = (over: Record<string, unknown> = {}): TrainConfig =>
  TrainConfig.parse({
    epochs: 4, tileSize: 32, batchSize: 4, model: { depth: 3, baseFilters: 8, dropout: 0 }, loss: { name: 'ce', classWeights: 'none' },
    learningRate: 0.01, schedule: 'constant', patience: 0, validationFraction: 0.25, augment: 'light', workers: 1, semi: true, ...over,
  })

/** 6 labeled images and 5 unlabeled ones (their squares never labeled). */
function project() {
  const labeled = squaresDataset(6, 48, 1)
  const unlabeled = squaresDataset(5, 48, 2).map((img, i) => ({ ...img, id: 100 + i, name: `u-${i}.png` }))
  const byId = new Map(unlabeled.map((u) => [u.id, u]))
  const base = memorySource(labeled)
  return {
    ...base,
    pixels: async (id: number) => byId.get(id)?.pixels ?? base.pixels(id),
    unlabeledImages: async () => unlabeled.map((u) => ({ id: u.id, name: u.name, width: 48, height: 48 })),
  }
}

describe('consistency training in a run', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'wasm' })
  })

  it('trains on the unlabeled images after the first validation, reports it and keeps tensor memory flat', async () => {
    const before = tf.memory().numTensors
    let report: RunReport | null = null
    const result = await runTrainingLoop({ runId: 1, config: tiny(), source: project(), onReport: (r) => (report = r) })
    expect(result.status).toBe('completed')
    const semi = (report as RunReport | null)?.semi
    expect(semi).toBeTruthy()
    if (!semi) return
    expect(semi.unlabeledImages).toBe(5)
    expect(semi.tilesSeen).toBeGreaterThan(0)
    expect(semi.steps).toBeGreaterThan(0)
    expect(semi.thresholds).toHaveLength(2)
    expect(semi.confidentShare).toHaveLength(2)
    expect(semi.confidentShare.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1)
    expect(semi.pseudoPrecision).toHaveLength(2)
    expect(semi.ramp).toMatch(/of the budget/)
    // Learned squares despite the extra targets.
    expect(result.state.epochs.at(-1)?.macroF1 ?? 0).toBeGreaterThan(0.8)
    expect(tf.memory().numTensors).toBe(before)
  })

  it('is off by default, with semi: false and without unlabeled images', async () => {
    for (const [config, source] of [[TrainConfig.parse({ ...tiny(), semi: undefined }), project()], [tiny({ semi: false }), project()], [tiny(), memorySource(squaresDataset(6, 48, 1))]] as const) {
      let report: RunReport | null = null
      await runTrainingLoop({ runId: 1, config: { ...config, epochs: 1 }, source, onReport: (r) => (report = r) })
      expect((report as RunReport | null)?.semi ?? null).toBeNull()
    }
  })
})
