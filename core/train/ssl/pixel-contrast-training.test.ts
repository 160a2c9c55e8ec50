import * as tf from '@tensorflow/tfjs-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { TrainConfig } from '../../contract'
import { selectBackend } from '../backend'
import { createObjective } from '../loop/objective'
import { memorySource, squaresDataset } from '../loop/test-data'
import { runTrainingLoop } from '../loop/train-loop'

const tiny = (loss: Record<string, unknown>): TrainConfig =>
  TrainConfig.parse({
    epochs: 3, tileSize: 32, batchSize: 4, model: { depth: 3, baseFilters: 8, dropout: 0 }, loss: { name: 'ce', classWeights: 'none', ...loss },
    learningRate: 0.01, schedule: 'constant', patience: 0, validationFraction: 0.25, augment: 'light', sampling: 'uniform', rareCrop: 0, copyPaste: 0, seed: 5,
  })

describe('pixel-contrastive auxiliary loss in the training loop', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'wasm' })
  })

  it('adds its head to the trainable variables and a positive term to the loss', () => {
    const config = tiny({ pixelContrast: 0.5 })
    const plain = createObjective(tiny({}), 2, null, 8)
    const withContrast = createObjective(config, 2, null, 8)
    const learned = createObjective(tiny({ pixelContrast: 1, uncertaintyWeighting: true }), 2, null, 8)
    expect(plain.variables).toHaveLength(0)
    expect(withContrast.variables).toHaveLength(4)
    expect(learned.variables).toHaveLength(6)
    const labels = Int32Array.from({ length: 2 * 8 * 8 }, (_, i) => (i % 7 === 0 ? 255 : i % 2))
    for (const o of [plain, withContrast, learned]) o.observe(labels)
    const [a, b, c] = tf.tidy(() => {
      const logits = tf.randomNormal([2, 8, 8, 2], 0, 1, 'float32', 1) as tf.Tensor4D
      const features = tf.randomNormal([2, 8, 8, 8], 0, 1, 'float32', 2) as tf.Tensor4D
      const y = tf.tensor3d(labels, [2, 8, 8], 'int32')
      return [plain.loss(logits, y, null), withContrast.loss([logits, features], y, null), learned.loss([logits, features], y, null)].map((t) => t.dataSync()[0])
    })
    // Fixed weight: seg + 0.5·aux; learned weighting at s = 0: seg + aux.
    expect(b).toBeGreaterThan(a)
    expect(c - a).toBeCloseTo(2 * (b - a), 4)
    for (const o of [plain, withContrast, learned]) o.dispose()
  })

  it('trains a U-Net with the auxiliary loss, by fixed weight and by uncertainty weighting, without leaking tensors', async () => {
    for (const loss of [{ pixelContrast: 0.3 }, { pixelContrast: 1, uncertaintyWeighting: true }]) {
      const before = tf.memory().numTensors
      const result = await runTrainingLoop({ runId: 1, config: tiny(loss), source: memorySource(squaresDataset(8, 64)) })
      expect(result.status).toBe('completed')
      const last = result.state.epochs[2]
      expect(Number.isFinite(last.trainLoss)).toBe(true)
      expect(last.macroF1).toBeGreaterThan(0.8)
      // UncertaintyWeighting leaves its initial scalars (one per loss) to the caller's scope.
      expect(tf.memory().numTensors - before).toBeLessThanOrEqual(loss.uncertaintyWeighting ? 2 : 0)
    }
  })
})
