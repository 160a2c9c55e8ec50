/**
 * Online hard example mining over pixels (Shrivastava et al. 2016, pixel form as in PSPNet/DeepLab
 * training code): only the hardest labeled pixels contribute.
 *
 *   k = min(n, max(⌈topK · n⌉, minKept))        n = labeled pixels in the batch
 *   τ = k-th largest per-pixel loss ℓ_i = w[y_i] · (−log p_i[y_i])   (w = 1 without class weights)
 *   OHEM = Σ_{i labeled, ℓ_i ≥ τ} ℓ_i / Σ_{i labeled, ℓ_i ≥ τ} w[y_i]
 *
 * Pixels tied with τ are all kept, so slightly more than k may count. topK = 1 keeps every labeled
 * pixel and gives (weighted) cross-entropy. τ is found on the CPU (one read of the loss map per batch);
 * the selection mask carries no gradient.
 */
import * as tf from '@tensorflow/tfjs-core'
import { checkPerClass, invalid, perPixelClassValue, pixelTerms, weightedMean, type LossOptions } from './common'

/** OHEM cross-entropy; reads `topK` (default 0.25), `minKept` (default 0) and `classWeights`. */
export function ohemLoss(logits: tf.Tensor4D, labels: tf.Tensor3D, options: LossOptions = {}): tf.Scalar {
  return tf.tidy(() => {
    const topK = options.topK ?? 0.25
    const minKept = options.minKept ?? 0
    if (!(topK > 0 && topK <= 1)) throw invalid('ohem', `topK must be in (0, 1], got ${topK}`)
    if (!(Number.isInteger(minKept) && minKept >= 0)) throw invalid('ohem', `minKept must be an integer ≥ 0, got ${minKept}`)
    const t = pixelTerms('ohem', logits, labels)
    let weights: tf.Tensor = t.valid
    if (options.classWeights) {
      checkPerClass('ohem', 'classWeights', options.classWeights, t.numClasses)
      weights = perPixelClassValue(t.oneHot, options.classWeights)
    }
    const perPixel = tf.mul(t.nll, weights)
    const threshold = hardThreshold(perPixel.dataSync(), t.valid.dataSync(), topK, minKept)
    if (threshold === null) return tf.mul(tf.sum(perPixel), 0) as tf.Scalar
    const keep = tf.mul(t.valid, tf.cast(tf.greaterEqual(perPixel, threshold), 'float32'))
    return weightedMean(t.nll, tf.mul(weights, keep))
  })
}

/** τ for the given per-pixel losses and validity, or null when no pixel is labeled. */
export function hardThreshold(losses: ArrayLike<number>, valid: ArrayLike<number>, topK: number, minKept: number): number | null {
  let n = 0
  for (let i = 0; i < valid.length; i++) if (valid[i] > 0) n++
  if (n === 0) return null
  const values = new Float32Array(n)
  let j = 0
  for (let i = 0; i < valid.length; i++) if (valid[i] > 0) values[j++] = losses[i]
  const k = Math.min(n, Math.max(Math.ceil(topK * n), minKept))
  values.sort()
  return values[n - k]
}
