/**
 * Shared shapes and helpers of the segmentation losses. Every loss takes logits [B,H,W,C] and int32
 * labels [B,H,W] where 255 (and any index ≥ C) means "not labeled": such pixels get zero weight and are
 * left out of every normalisation, and a batch without a labeled pixel gives 0, never NaN.
 */
import * as tf from '@tensorflow/tfjs-core'
// tfjs-core's Node bundle registers no gradient functions; tfjs-layers' bundle registers them all
// (as core/train/backend.ts does). Importing it here makes the losses differentiable on their own.
import '@tensorflow/tfjs-layers'
import { AppError } from '../../contract'

/** Options every registered loss accepts; each loss reads the fields it documents. */
export interface LossOptions {
  /** Per-class weights (e.g. from core/balance `weightsForScheme`); length must equal C. */
  classWeights?: readonly number[]
  /** Focal loss α: one number for every class or one per class (default 1). */
  alpha?: number | readonly number[]
  /** Focal loss γ ≥ 0 (default 2). */
  gamma?: number
  /** Dice smoothing added to numerator and denominator (default 1). */
  smooth?: number
  /** OHEM: fraction of labeled pixels to keep, in (0, 1] (default 0.25). */
  topK?: number
  /** OHEM: keep at least this many pixels when there are that many labeled (default 0). */
  minKept?: number
  /** CE + Dice: weight of the cross-entropy term (default 1). */
  ceWeight?: number
  /** CE + Dice: weight of the Dice term (default 1). */
  diceWeight?: number
}

/** A segmentation loss: logits [B,H,W,C], int32 labels [B,H,W] (255 = ignore) → scalar. */
export type LossFn = (logits: tf.Tensor4D, labels: tf.Tensor3D, options?: LossOptions) => tf.Scalar

/** Guards denominators that are 0 only when the numerator is 0 too (no labeled pixel). */
export const EPS = 1e-12

/** Pixel-level pieces shared by the losses; all tensors belong to the caller's tf.tidy. */
export interface PixelTerms {
  numClasses: number
  /** 1 where the pixel is labeled with a class < C, else 0; [B,H,W] float32. */
  valid: tf.Tensor3D
  /** One-hot of the label, all zeros at ignored pixels; [B,H,W,C] float32. */
  oneHot: tf.Tensor4D
  /** log-softmax of the logits; [B,H,W,C]. */
  logProbs: tf.Tensor4D
  /** −log p(true class) per pixel, 0 at ignored pixels; [B,H,W]. */
  nll: tf.Tensor3D
}

/** Checks shapes and dtypes; throws INVALID_INPUT naming the loss and the problem. */
export function checkInputs(loss: string, logits: tf.Tensor, labels: tf.Tensor): number {
  if (logits.rank !== 4) throw invalid(loss, `logits must be [B,H,W,C], got shape [${logits.shape.join(',')}]`)
  if (labels.rank !== 3) throw invalid(loss, `labels must be [B,H,W], got shape [${labels.shape.join(',')}]`)
  if (labels.dtype !== 'int32') throw invalid(loss, `labels must be int32, got ${labels.dtype}`)
  const [b, h, w, c] = logits.shape
  if (labels.shape[0] !== b || labels.shape[1] !== h || labels.shape[2] !== w) {
    throw invalid(loss, `labels shape [${labels.shape.join(',')}] does not match logits [${logits.shape.join(',')}]`)
  }
  return c
}

/** Checks that a per-class array has one entry per class. */
export function checkPerClass(loss: string, what: string, values: readonly number[], numClasses: number): void {
  if (values.length !== numClasses) {
    throw invalid(loss, `${what} has ${values.length} entries but the logits have ${numClasses} classes`)
  }
  if (values.some((v) => !Number.isFinite(v) || v < 0)) throw invalid(loss, `${what} must be finite and ≥ 0`)
}

/** The shared pixel terms; call inside tf.tidy. */
export function pixelTerms(loss: string, logits: tf.Tensor4D, labels: tf.Tensor3D): PixelTerms {
  const numClasses = checkInputs(loss, logits, labels)
  const validBool = tf.less(labels, numClasses)
  const valid = tf.cast(validBool, 'float32') as tf.Tensor3D
  const safe = tf.where(validBool, labels, tf.zerosLike(labels))
  // tfjs-backend-wasm 4.22's OneHot ignores the dtype argument and writes int32 bits into a float32
  // tensor (1 reads as 1.4e-45), so one-hot is made as int32 and cast.
  const oneHot = tf.mul(tf.cast(tf.oneHot(safe, numClasses), 'float32'), tf.expandDims(valid, -1)) as tf.Tensor4D
  const logProbs = tf.logSoftmax(logits) as tf.Tensor4D
  const nll = tf.neg(tf.sum(tf.mul(oneHot, logProbs), -1)) as tf.Tensor3D
  return { numClasses, valid, oneHot, logProbs, nll }
}

/** Per-pixel value of a per-class vector at the pixel's true class (0 at ignored pixels); [B,H,W]. */
export function perPixelClassValue(oneHot: tf.Tensor4D, perClass: readonly number[]): tf.Tensor3D {
  return tf.sum(tf.mul(oneHot, tf.tensor1d(perClass as number[], 'float32')), -1) as tf.Tensor3D
}

/** Σ values / Σ weights, and 0 (with finite gradients) when Σ weights is 0. */
export function weightedMean(values: tf.Tensor, weights: tf.Tensor): tf.Scalar {
  return tf.div(tf.sum(tf.mul(values, weights)), tf.maximum(tf.sum(weights), EPS)) as tf.Scalar
}

/** INVALID_INPUT error that names the loss and the problem. */
export function invalid(loss: string, problem: string): AppError {
  return new AppError('INVALID_INPUT', `loss "${loss}": ${problem}`)
}
