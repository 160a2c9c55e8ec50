/**
 * Batch normalisation over the channel (last) axis with one fused gradient. tfjs-layers'
 * BatchNormalization differentiates through tf.moments and the FusedBatchNorm gradient, which tiles
 * 1/sqrt(var) to the full tensor shape (wasm's Tile is very slow) and runs dozens of full-size
 * element-wise ops; on wasm that made batch norm the largest cost of a U-Net training step. This
 * layer computes the same function (Keras semantics: batch statistics in training, moving averages
 * in inference, weights named gamma/beta/moving_mean/moving_variance) and differentiates it in closed
 * form (formula in core/train/kernels/batch-norm-kernels.ts, whose two kernels compute the batch
 * statistics and the whole backward pass in one or two passes over memory).
 * Registered for (de)serialisation as 'LabelLoopBatchNorm': import this module before loading a model.
 */
import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import { registerTrainingKernels } from '../kernels'
import { BATCH_NORM_GRAD, BATCH_NORM_STATS } from '../kernels/batch-norm-kernels'

/** Arguments of {@link FastBatchNorm}; momentum and epsilon default to Keras' 0.99 and 1e-3. */
export interface FastBatchNormArgs {
  name?: string
  momentum?: number
  epsilon?: number
}

/** Training-mode batch norm: returns y plus the batch mean and (biased) variance. */
export function batchNormTraining(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): { y: tf.Tensor; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  registerTrainingKernels()
  let stats: { mean: tf.Tensor1D; variance: tf.Tensor1D } | undefined
  const fused = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xIn, gIn, bIn] = args as tf.Tensor[]
    const save = args[3] as tf.GradSaveFunc
    const [mean, variance] = tf.engine().runKernel(BATCH_NORM_STATS, { x: xIn }) as tf.Tensor1D[]
    const rstd = tf.rsqrt(tf.add(variance, epsilon))
    const y = tf.batchNorm(xIn, mean, variance, bIn as tf.Tensor1D, gIn as tf.Tensor1D, epsilon)
    stats = { mean: tf.keep(mean.clone()), variance: tf.keep(variance.clone()) }
    save([xIn, mean, rstd, gIn])
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, mu, r, g] = saved
        return tf.engine().runKernel(BATCH_NORM_GRAD, { dy, x: xs, mean: mu, rstd: r, gamma: g }) as tf.Tensor[]
      },
    }
  })
  const y = fused(x, gamma, beta)
  if (stats === undefined) throw new Error('core/train/model/batch-norm.ts: batch statistics were not computed')
  return { y, ...stats }
}

/** Keras-compatible batch normalisation layer (channels last) with a fast fused gradient. */
export class FastBatchNorm extends tfl.layers.Layer {
  static className = 'LabelLoopBatchNorm'
  private readonly momentum: number
  private readonly epsilon: number
  private gamma?: tfl.LayerVariable
  private beta?: tfl.LayerVariable
  private movingMean?: tfl.LayerVariable
  private movingVariance?: tfl.LayerVariable

  constructor(args: FastBatchNormArgs = {}) {
    super({ name: args.name })
    this.momentum = args.momentum ?? 0.99
    this.epsilon = args.epsilon ?? 1e-3
    this.supportsMasking = true
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape
    const channels = shape[shape.length - 1]
    if (channels === null) throw new Error(`core/train/model/batch-norm.ts: layer ${this.name} needs a known channel count`)
    this.gamma = this.addWeight('gamma', [channels], 'float32', tfl.initializers.ones())
    this.beta = this.addWeight('beta', [channels], 'float32', tfl.initializers.zeros())
    this.movingMean = this.addWeight('moving_mean', [channels], 'float32', tfl.initializers.zeros(), undefined, false)
    this.movingVariance = this.addWeight('moving_variance', [channels], 'float32', tfl.initializers.ones(), undefined, false)
    this.built = true
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape | tfl.Shape[] {
    return inputShape
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs
      const [gamma, beta, movingMean, movingVariance] = this.vars()
      if (kwargs.training !== true) {
        return tf.batchNorm(x, movingMean.read(), movingVariance.read(), beta.read(), gamma.read(), this.epsilon)
      }
      const { y, mean, variance } = batchNormTraining(x, gamma.read() as tf.Tensor1D, beta.read() as tf.Tensor1D, this.epsilon)
      for (const [variable, value] of [[movingMean, mean], [movingVariance, variance]] as const) {
        const old = variable.read()
        variable.write(tf.sub(old, tf.mul(tf.sub(old, value), 1 - this.momentum)))
      }
      tf.dispose([mean, variance])
      return y
    })
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), momentum: this.momentum, epsilon: this.epsilon }
  }

  private vars(): [tfl.LayerVariable, tfl.LayerVariable, tfl.LayerVariable, tfl.LayerVariable] {
    if (!this.gamma || !this.beta || !this.movingMean || !this.movingVariance) {
      throw new Error(`core/train/model/batch-norm.ts: layer ${this.name} used before it was built`)
    }
    return [this.gamma, this.beta, this.movingMean, this.movingVariance]
  }
}
tf.serialization.registerClass(FastBatchNorm)
