/**
 * Supervised pixel-wise contrastive auxiliary loss (in the spirit of Wang et al. 2021, "Exploring
 * Cross-Image Pixel Contrast for Semantic Segmentation"): the decoder's last feature map (before the
 * logits) is projected per pixel to D dimensions, and labeled pixels of the same class are pulled
 * together, of different classes pushed apart. A batch has far too many pixels for a similarity
 * matrix, so a bounded sample is drawn per batch: at most `maxPixels` in all and `perClassMax` per
 * class, shared out equally between the classes present, so rare classes are oversampled relative to
 * their frequency; unlabeled pixels (255, or any index ≥ numClasses) are never drawn.
 *
 * The loss over the sampled pixels is the supervised contrastive loss (Khosla et al. 2020). With u_i
 * the L2-normalised projections, s_ij = u_i·u_j / τ and P(i) = { p ≠ i : y_p = y_i }:
 *
 *   ℓ_i = −(1 / |P(i)|) Σ_{p∈P(i)} log( exp(s_ip) / Σ_{a≠i} exp(s_ia) ),   L = mean of ℓ_i over i with |P(i)| > 0
 *
 * (0 when no pixel has a positive). It is combined with the segmentation loss by a fixed weight or
 * by learned uncertainty weighting ({@link combineWithSegmentation}).
 */
import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import { AppError } from '../../contract'
import type { Rng } from '../loop/rng'
import type { UncertaintyWeighting } from '../losses'
import { l2Normalise } from './nt-xent'

const FILE = 'core/train/ssl/pixel-contrast.ts'
const MASKED = -1e9

/** Bounds of the per-batch pixel sample. */
export interface PixelSampleOptions {
  numClasses: number
  /** Most pixels drawn in all (the similarity matrix is maxPixels²). */
  maxPixels: number
  /** Most pixels drawn of one class. */
  perClassMax: number
}

/**
 * How many pixels each class gets: the budget min(maxPixels, Σ min(count, perClassMax)) shared equally
 * between present classes, a class with fewer available pixels than its share giving the rest back
 * (water-filling). Returns one quota per class.
 */
export function classQuotas(counts: readonly number[], opts: Pick<PixelSampleOptions, 'maxPixels' | 'perClassMax'>): number[] {
  const avail = counts.map((n) => Math.min(n, opts.perClassMax))
  const quotas = counts.map(() => 0)
  let budget = Math.min(opts.maxPixels, avail.reduce((a, b) => a + b, 0))
  let open = avail.map((a, c) => (a > 0 ? c : -1)).filter((c) => c >= 0)
  while (budget > 0 && open.length > 0) {
    const share = Math.floor(budget / open.length)
    const small = open.filter((c) => avail[c] - quotas[c] <= share)
    if (small.length === 0) {
      // Everyone can take the equal share; the remainder goes one by one to the first classes.
      let extra = budget - share * open.length
      for (const c of open) {
        const add = share + (extra > 0 ? 1 : 0)
        if (extra > 0) extra--
        quotas[c] += add
      }
      break
    }
    for (const c of small) {
      budget -= avail[c] - quotas[c]
      quotas[c] = avail[c]
    }
    open = open.filter((c) => !small.includes(c))
  }
  return quotas
}

/** Draws the pixel sample of a batch's labels (flat, any shape); returns flat indices grouped by class. */
export function samplePixels(labels: ArrayLike<number>, opts: PixelSampleOptions, rng: Rng): Int32Array {
  const buckets: number[][] = Array.from({ length: opts.numClasses }, () => [])
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]
    if (l >= 0 && l < opts.numClasses) buckets[l].push(i)
  }
  const quotas = classQuotas(buckets.map((b) => b.length), opts)
  const out: number[] = []
  buckets.forEach((bucket, c) => {
    // Partial Fisher–Yates: the first quota entries become a uniform sample without replacement.
    for (let k = 0; k < quotas[c]; k++) {
      const j = k + rng.int(bucket.length - k)
      const t = bucket[k]
      bucket[k] = bucket[j]
      bucket[j] = t
      out.push(bucket[k])
    }
  })
  return Int32Array.from(out)
}

/** Supervised contrastive loss of features [M, D] with int32 labels [M]; see the file comment. */
export function supConLoss(features: tf.Tensor2D, labels: tf.Tensor1D, temperature: number): tf.Scalar {
  if (!(temperature > 0)) throw new AppError('INVALID_INPUT', `${FILE}: temperature must be > 0, got ${temperature}`)
  if (features.shape[0] !== labels.shape[0]) throw new AppError('INVALID_INPUT', `${FILE}: ${features.shape[0]} features but ${labels.shape[0]} labels`)
  return tf.tidy(() => {
    const m = features.shape[0]
    if (m < 2) return tf.scalar(0)
    const u = l2Normalise(features)
    const eye = tf.oneHot(tf.range(0, m, 1, 'int32'), m)
    const notSelf = tf.sub(1, eye)
    const logits = tf.add(tf.mul(tf.div(tf.matMul(u, u, false, true), temperature), notSelf), tf.mul(eye, MASKED))
    const logProb = tf.logSoftmax(logits)
    const y = tf.cast(labels, 'int32')
    const positives = tf.mul(tf.cast(tf.equal(tf.expandDims(y, 1), tf.expandDims(y, 0)), 'float32'), notSelf)
    const count = tf.sum(positives, 1)
    const perAnchor = tf.div(tf.neg(tf.sum(tf.mul(positives, logProb), 1)), tf.maximum(count, 1))
    const anchors = tf.cast(tf.greater(count, 0), 'float32')
    return tf.div(tf.sum(tf.mul(perAnchor, anchors)), tf.maximum(tf.sum(anchors), 1)) as tf.Scalar
  })
}

/**
 * Rows `indices` of `x`, differentiable on every backend: tfjs differentiates Gather with
 * UnsortedSegmentSum, which the wasm backend lacks, so the gradient here scatters dy back with
 * ScatterNd (the indices are distinct, so a scatter equals the segment sum).
 */
export function gatherRows(x: tf.Tensor2D, indices: tf.Tensor1D): tf.Tensor2D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor
    // Saved, so the indices outlive the forward pass's tidy until the gradient is taken.
    ;(args[1] as tf.GradSaveFunc)([indices])
    return {
      value: tf.gather(input, indices),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.scatterND(tf.expandDims(saved[0], 1), dy, input.shape),
    }
  })
  return op(x) as tf.Tensor2D
}

/** Options of {@link PixelContrast}. */
export interface PixelContrastOptions extends PixelSampleOptions {
  /** Channels of the decoder feature map. */
  featureChannels: number
  /** Projection dimension D (default 32). */
  dim?: number
  /** Temperature τ (default 0.1). */
  temperature?: number
  seed?: number
}

/**
 * The auxiliary loss with its projection head (a 2-layer per-pixel MLP, F → F → D, trained with the
 * model and dropped after training). `variables` must be handed to the optimizer.
 */
export class PixelContrast {
  readonly variables: tf.Variable[]
  readonly options: Required<Omit<PixelContrastOptions, 'seed'>>

  constructor(opts: PixelContrastOptions) {
    if (opts.maxPixels < 2 || opts.perClassMax < 1) throw new AppError('INVALID_INPUT', `${FILE}: maxPixels must be ≥ 2 and perClassMax ≥ 1, got ${opts.maxPixels} and ${opts.perClassMax}`)
    this.options = { dim: 32, temperature: 0.1, ...opts }
    const f = opts.featureChannels
    const d = this.options.dim
    const init = (k: number, shape: number[]): tf.Variable => {
      return tf.variable(tfl.initializers.glorotUniform(opts.seed === undefined ? {} : { seed: opts.seed * 13 + k }).apply(shape), true)
    }
    this.variables = tf.tidy(() => [init(1, [f, f]), tf.variable(tf.zeros([f]), true), init(2, [f, d]), tf.variable(tf.zeros([d]), true)])
  }

  /** The pixel sample of a batch (labels flat [B·H·W]). */
  sample(labels: ArrayLike<number>, rng: Rng): Int32Array {
    return samplePixels(labels, this.options, rng)
  }

  /**
   * The loss of decoder features [B, H, W, F] at the sampled flat pixel indices, whose labels are given
   * in the same order. Call inside the optimizer's loss function.
   */
  loss(features: tf.Tensor4D, indices: Int32Array, labels: Int32Array): tf.Scalar {
    return tf.tidy(() => {
      if (indices.length < 2) return tf.scalar(0)
      const f = features.shape[3]
      const flat = tf.reshape(features, [-1, f]) as tf.Tensor2D
      const picked = gatherRows(flat, tf.tensor1d(indices, 'int32'))
      const [w1, b1, w2, b2] = this.variables
      const hidden = tf.relu(tf.add(tf.matMul(picked, w1 as tf.Tensor2D), b1))
      const z = tf.add(tf.matMul(hidden, w2 as tf.Tensor2D), b2) as tf.Tensor2D
      return supConLoss(z, tf.tensor1d(labels, 'int32'), this.options.temperature)
    })
  }

  dispose(): void {
    for (const v of this.variables) v.dispose()
  }
}

/**
 * A U-Net model with one more output: the decoder's last feature map (the input of its `logits`
 * layer). Shares the U-Net's layers, so training it trains the U-Net.
 */
export function withDecoderFeatures(unet: tfl.LayersModel): tfl.LayersModel {
  let logits: tfl.layers.Layer
  try {
    logits = unet.getLayer('logits')
  } catch {
    throw new AppError('INVALID_INPUT', `${FILE}: model "${unet.name}" has no 'logits' layer; is it a U-Net from createUNet?`)
  }
  return tfl.model({ inputs: unet.inputs, outputs: [...unet.outputs, logits.input as tfl.SymbolicTensor], name: `${unet.name}_features` })
}

/** Segmentation + auxiliary loss: by a fixed weight, or by learned uncertainty weighting of the two. */
export function combineWithSegmentation(segmentation: tf.Scalar, auxiliary: tf.Scalar, by: number | UncertaintyWeighting): tf.Scalar {
  return tf.tidy(() => (typeof by === 'number' ? (tf.add(segmentation, tf.mul(auxiliary, by)) as tf.Scalar) : by.combine([segmentation, auxiliary])))
}
