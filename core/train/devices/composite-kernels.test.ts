import * as tf from '@tensorflow/tfjs-core'
import { describe, expect, it } from 'vitest'
import { selectBackend } from '../backend'
import { BATCH_NORM_GRAD, BATCH_NORM_STATS } from '../kernels/batch-norm-kernels'
import { registerCompositeTrainingKernels } from './composite-kernels'

/** A backend named 'composite-cpu' that is the cpu backend without LabelLoop's hand-written kernels. */
async function compositeBackend(): Promise<void> {
  await selectBackend({ force: 'cpu' })
  if (tf.findBackend('composite-cpu') === null) {
    const cpu = tf.findBackendFactory('cpu')
    if (!cpu) throw new Error('the cpu backend is not registered')
    tf.registerBackend('composite-cpu', cpu)
    for (const k of tf.getKernelsForBackend('cpu')) {
      if (k.kernelName !== BATCH_NORM_STATS && k.kernelName !== BATCH_NORM_GRAD) tf.registerKernel({ ...k, backendName: 'composite-cpu' })
    }
  }
  registerCompositeTrainingKernels('composite-cpu')
}

function run(name: string, x: tf.Tensor, dy: tf.Tensor, gamma: tf.Tensor): Float32Array[] {
  return tf.tidy(() => {
    const [mean, variance] = tf.engine().runKernel(BATCH_NORM_STATS, { x }) as tf.Tensor[]
    const rstd = tf.rsqrt(tf.add(variance, 1e-3))
    const grads = tf.engine().runKernel(BATCH_NORM_GRAD, { dy, x, mean, rstd, gamma }) as tf.Tensor[]
    expect(tf.getBackend()).toBe(name)
    return [mean, variance, ...grads].map((t) => t.dataSync() as Float32Array)
  })
}

describe('composite batch-norm kernels', () => {
  it('match the hand-written cpu kernels and leak no tensors', async () => {
    await compositeBackend()
    const shape = [2, 3, 4, 5]
    const data = (seed: number) => tf.randomUniform(shape, -2, 2, 'float32', seed).dataSync()
    const xs = data(1)
    const dys = data(2)
    const gs = tf.randomUniform([5], 0.5, 1.5, 'float32', 3).dataSync()
    const results: Float32Array[][] = []
    for (const name of ['cpu', 'composite-cpu']) {
      await tf.setBackend(name)
      const x = tf.tensor(xs, shape)
      const dy = tf.tensor(dys, shape)
      const gamma = tf.tensor(gs, [5])
      const before = tf.memory().numTensors
      results.push(run(name, x, dy, gamma))
      expect(tf.memory().numTensors).toBe(before)
      tf.dispose([x, dy, gamma])
    }
    const [hand, comp] = results
    for (let i = 0; i < hand.length; i++) {
      for (let j = 0; j < hand[i].length; j++) expect(comp[i][j]).toBeCloseTo(hand[i][j], 4)
    }
    await selectBackend({ force: 'wasm' })
  })
})
