import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import { beforeAll, describe, expect, it } from 'vitest'
import { initBackends, randomValues, relativeError, rng, runOn } from '../kernels/test-helpers'
import { generatedBatchNormCalls } from '../kernels/generated/bn-kernels'
import { batchNormTraining, FastBatchNorm } from './batch-norm'

/** Textbook batch norm from tf.moments, differentiated by tfjs' autodiff: the reference. */
function reference(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, [0, 1, 2])
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), gamma), beta)
}

function gradsOf(fast: boolean, seed: number, shape: [number, number, number, number]): tf.Tensor[] {
  const next = rng(seed)
  const size = shape.reduce((a, b) => a * b, 1)
  const x = tf.add(tf.tensor4d(randomValues(size, next), shape), 3)
  const gamma = tf.tensor1d(randomValues(shape[3], next))
  const beta = tf.tensor1d(randomValues(shape[3], next))
  const w = tf.tensor4d(randomValues(size, next), shape)
  const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
    fast ? batchNormTraining(a, g as tf.Tensor1D, b as tf.Tensor1D, 1e-3).y : reference(a, g, b, 1e-3)
  const out = f(x, gamma, beta)
  const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, g, b), w)))([x, gamma, beta])
  return [out, ...grads]
}

describe('FastBatchNorm', () => {
  beforeAll(initBackends)

  for (const backend of ['cpu', 'wasm'] as const) {
    // 8, 12 and 36 channels (multiples of 4) run on generated SIMD code on wasm; 646 and 4,050 rows
    // span several 256-row partial-sum blocks with a remainder.
    const shapes: [number, number, number, number][] = [[2, 5, 7, 3], [1, 4, 4, 8], [3, 6, 2, 1], [2, 17, 19, 12], [2, 45, 45, 36]]
    for (const shape of shapes) {
      it(`output and gradients match textbook batch norm on ${backend} for ${shape}`, () => {
        const before = { ...generatedBatchNormCalls }
        const want = runOn('cpu', () => gradsOf(false, 4, shape))
        const got = runOn(backend, () => gradsOf(true, 4, shape))
        for (let i = 0; i < want.length; i++) expect(relativeError(got[i], want[i])).toBeLessThan(1e-4)
        const generated = backend === 'wasm' && shape[3] % 4 === 0
        expect(generatedBatchNormCalls.stats > before.stats).toBe(generated)
        expect(generatedBatchNormCalls.grad > before.grad).toBe(generated)
        expect(generatedBatchNormCalls.normalize > before.normalize).toBe(generated)
      })
    }
  }

  it('normalises with batch statistics in training and moving averages in inference', () => {
    tf.setBackend('wasm')
    const layer = new FastBatchNorm({ momentum: 0.5 })
    const x = tf.tensor4d([1, 10, 3, 20, 5, 30, 7, 40], [1, 2, 2, 2])
    const y = layer.apply(x, { training: true }) as tf.Tensor
    // Channel 0 is 1,3,5,7 (mean 4, var 5); channel 1 is 10..40 (mean 25, var 125).
    const v = y.dataSync()
    expect(v[0]).toBeCloseTo(-3 / Math.sqrt(5.001), 4)
    expect(v[1]).toBeCloseTo(-15 / Math.sqrt(125.001), 4)
    const [movingMean, movingVar] = layer.getWeights().slice(2).map((t) => Array.from(t.dataSync()))
    expect(movingMean).toEqual([2, 12.5])
    expect(movingVar[0]).toBeCloseTo(3, 5)
    const inference = (layer.apply(x, { training: false }) as tf.Tensor).dataSync()
    expect(inference[0]).toBeCloseTo((1 - 2) / Math.sqrt(3.001), 4)
    layer.dispose()
  })

  it('survives a save/load round trip of a model that uses it', async () => {
    const input = tfl.input({ shape: [4, 4, 2] })
    const model = tfl.model({ inputs: input, outputs: new FastBatchNorm({ name: 'bn' }).apply(input) as tfl.SymbolicTensor })
    let saved: tf.io.ModelArtifacts | undefined
    await model.save(tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
    }))
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts))
    expect(loaded.layers[1].getClassName()).toBe('LabelLoopBatchNorm')
    expect(loaded.getWeights().length).toBe(4)
  })
})
