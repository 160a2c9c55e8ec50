/**
 * LabelLoop's batch-norm kernels (kernels/batch-norm-kernels.ts) for backends that have no hand-written
 * version — libtensorflow ('tensorflow'), WebGPU, WebGL — composed from stock tfjs ops, so the same
 * U-Net (model/batch-norm.ts calls these kernels by name) trains everywhere with the same formulas:
 * - stats {x} → [mean, variance] over every axis but the last (biased variance, two-pass);
 * - grad {dy, x, mean, rstd, gamma} → [dx, dγ, dβ] with M values per channel, x̂ = (x − mean)·rstd:
 *   dβ = Σ dy, dγ = Σ dy·x̂, dx = γ·rstd·(dy − dβ/M − x̂·dγ/M).
 * Ops run inside a kernel are not taped (the engine records only at kernel depth 0), and each output
 * gets its own reference before the intermediate tensors are disposed, as tfjs' own composite kernels do.
 */
import * as tf from '@tensorflow/tfjs-core'
import { BATCH_NORM_GRAD, BATCH_NORM_STATS } from '../kernels/batch-norm-kernels'

type Args = { inputs: Record<string, tf.TensorInfo>; backend: tf.KernelBackend }

/** Runs `body` on Tensor views of the inputs and returns its results as kernel outputs. */
function composite(args: Args, names: string[], body: (...xs: tf.Tensor[]) => tf.Tensor[]): tf.TensorInfo[] {
  const { backend } = args
  const engine = tf.engine()
  const outs = tf.tidy(() =>
    body(
      ...names.map((n) => {
        backend.incRef(args.inputs[n].dataId)
        return engine.makeTensorFromTensorInfo(args.inputs[n], backend)
      }),
    ),
  )
  const infos = outs.map((t) => {
    backend.incRef(t.dataId)
    return { dataId: t.dataId, shape: t.shape, dtype: t.dtype }
  })
  tf.dispose(outs)
  return infos
}

function stats(args: Args): tf.TensorInfo[] {
  return composite(args, ['x'], (x) => {
    const axes = x.shape.slice(0, -1).map((_, i) => i)
    const mean = tf.mean(x, axes)
    const variance = tf.mean(tf.square(tf.sub(x, mean)), axes)
    return [mean, variance]
  })
}

function grad(args: Args): tf.TensorInfo[] {
  return composite(args, ['dy', 'x', 'mean', 'rstd', 'gamma'], (dy, x, mean, rstd, gamma) => {
    const axes = x.shape.slice(0, -1).map((_, i) => i)
    const m = x.size / x.shape[x.shape.length - 1]
    const xhat = tf.mul(tf.sub(x, mean), rstd)
    const dbeta = tf.sum(dy, axes)
    const dgamma = tf.sum(tf.mul(dy, xhat), axes)
    const inner = tf.sub(tf.sub(dy, tf.div(dbeta, m)), tf.mul(xhat, tf.div(dgamma, m)))
    return [tf.mul(tf.mul(gamma, rstd), inner), dgamma, dbeta]
  })
}

/** Registers the composite batch-norm kernels for `backendName` where no kernel of that name exists. Idempotent. */
export function registerCompositeTrainingKernels(backendName: string): void {
  const kernels: [string, (args: Args) => tf.TensorInfo[]][] = [
    [BATCH_NORM_STATS, stats],
    [BATCH_NORM_GRAD, grad],
  ]
  for (const [kernelName, fn] of kernels) {
    if (tf.getKernel(kernelName, backendName) !== undefined) continue
    tf.registerKernel({ kernelName, backendName, kernelFunc: fn as unknown as tf.KernelConfig['kernelFunc'] })
  }
}
