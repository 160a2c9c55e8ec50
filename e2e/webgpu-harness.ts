/**
 * Browser side of e2e/webgpu.spec.ts, bundled by esbuild and served from 127.0.0.1: the U-Net of
 * core/train/model on one tfjs backend (cpu, webgl or webgpu) — its loss and every weight's gradient
 * for one batch, then a few Adam steps — so the spec can compare the GPU backends against cpu.
 */
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import '@tensorflow/tfjs-backend-webgl'
import '@tensorflow/tfjs-backend-webgpu'
// tfjs-core registers no gradients by itself; tfjs-layers' bundle registers them all.
import '@tensorflow/tfjs-layers'
import { registerCompositeTrainingKernels } from '../core/train/devices/composite-kernels'
import { createUNet } from '../core/train/model/unet'

/** What one backend computed. */
export interface HarnessResult {
  backend: string
  adapter: { vendor: string; architecture: string; description: string; isFallbackAdapter: boolean } | null
  loss: number
  /** Every trainable weight's gradient, in the model's weight order (names differ between models). */
  grads: number[][]
  trainLosses: number[]
}

async function adapterInfo(): Promise<HarnessResult['adapter']> {
  type Adapter = { info?: { vendor: string; architecture: string; description: string }; isFallbackAdapter?: boolean }
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<Adapter | null> } }).gpu
  const adapter = gpu ? await gpu.requestAdapter() : null
  if (!adapter) return null
  const info = adapter.info
  return { vendor: info?.vendor ?? '', architecture: info?.architecture ?? '', description: info?.description ?? '', isFallbackAdapter: adapter.isFallbackAdapter === true }
}

async function run(backend: string, steps: number): Promise<HarnessResult> {
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} did not start`)
  await tf.ready()
  registerCompositeTrainingKernels(backend)
  const classes = 3
  const model = createUNet({ inChannels: 3, numClasses: classes, depth: 3, baseFilters: 8, batchNorm: true, seed: 7 })
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable)
  const x = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 11)
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([2, 16, 16], 0, classes, 'int32', 12), classes))
  const lossFn = (): tf.Scalar => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar
  const { value, grads } = tf.variableGrads(lossFn, vars)
  const out: number[][] = []
  for (const v of vars) out.push(Array.from(await grads[v.name].data()))
  const loss = (await value.data())[0]
  tf.dispose([value, ...Object.values(grads)])
  const optimizer = tf.train.adam(1e-2)
  const trainLosses: number[] = []
  for (let i = 0; i < steps; i++) {
    const l = optimizer.minimize(lossFn, true, vars)
    trainLosses.push(l ? (await l.data())[0] : NaN)
    l?.dispose()
  }
  tf.dispose([x, y])
  optimizer.dispose()
  model.dispose()
  return { backend: tf.getBackend(), adapter: await adapterInfo(), loss, grads: out, trainLosses }
}

;(window as Window & { unetOn?: typeof run }).unetOn = run
