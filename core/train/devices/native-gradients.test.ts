/**
 * The native backends train the same U-Net with the same loss as the CPU: the loss and every weight's
 * gradient of one batch on libtensorflow ('tensorflow', from tfjs-node or tfjs-node-gpu) match the cpu
 * backend's. Runs only where one of the optional packages is installed; elsewhere it is skipped with
 * the reason (npm skips the packages when their install cannot download libtensorflow).
 */
import * as tf from '@tensorflow/tfjs-core'
import { describe, expect, it } from 'vitest'
import { createUNet } from '../model/unet'
import { selectBackend, tryBackend, type BackendTrial } from '../backend'

async function nativeTrial(): Promise<BackendTrial> {
  const gpu = await tryBackend('tensorflow-gpu')
  return gpu.ok ? gpu : tryBackend('tensorflow')
}

async function lossAndGrads(backend: string): Promise<{ loss: number; grads: Float32Array[] }> {
  await tf.setBackend(backend)
  const model = createUNet({ inChannels: 3, numClasses: 3, depth: 3, baseFilters: 8, batchNorm: true, seed: 7 })
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable)
  const x = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 11)
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([2, 16, 16], 0, 3, 'int32', 12), 3))
  const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, vars)
  const out = { loss: value.dataSync()[0], grads: vars.map((v) => grads[v.name].dataSync() as Float32Array) }
  tf.dispose([x, y, value, ...Object.values(grads)])
  model.dispose()
  return out
}

const trial = await nativeTrial()
const skipReason = trial.ok ? '' : `no native backend here: ${trial.reason}`

describe('native backends against cpu', () => {
  it.skipIf(!trial.ok)(`libtensorflow's U-Net loss and gradients match cpu${skipReason ? ` (skipped: ${skipReason})` : ''}`, async () => {
    const native = await lossAndGrads('tensorflow')
    await selectBackend({ force: 'cpu' })
    const cpu = await lossAndGrads('cpu')
    expect(Math.abs(native.loss - cpu.loss)).toBeLessThan(1e-4 * Math.max(1, cpu.loss))
    for (let i = 0; i < cpu.grads.length; i++) {
      const scale = Math.max(1e-6, ...Array.from(cpu.grads[i], Math.abs))
      for (let j = 0; j < cpu.grads[i].length; j++) expect(Math.abs(native.grads[i][j] - cpu.grads[i][j]) / scale).toBeLessThan(2e-3)
    }
  })

  it('where neither package is installed, says why', () => {
    if (trial.ok) return
    expect(trial.reason).toMatch(/@tensorflow\/tfjs-node is not installed/)
  })
})
