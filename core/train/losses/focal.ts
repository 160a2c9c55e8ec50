/**
 * Focal loss (Lin et al. 2017) with per-class α, averaged over labeled pixels:
 *
 *   FL = Σ_i v_i · α[y_i] · (1 − p_t)^γ · (−log p_t) / Σ_i v_i,   p_t = p_i[y_i]
 *
 * γ = 0 and α = 1 give cross-entropy exactly. (1 − p_t) is clipped to [1e-12, 1] before the power so
 * its gradient stays finite when p_t rounds to 1 (d/dx x^γ at x = 0 is 0·∞ for γ < 1).
 */
import * as tf from '@tensorflow/tfjs-core'
import { checkPerClass, invalid, perPixelClassValue, pixelTerms, weightedMean, type LossOptions } from './common'

/** Focal loss; reads `alpha` (default 1) and `gamma` (default 2). */
export function focalLoss(logits: tf.Tensor4D, labels: tf.Tensor3D, options: LossOptions = {}): tf.Scalar {
  return tf.tidy(() => {
    const t = pixelTerms('focal', logits, labels)
    const gamma = options.gamma ?? 2
    if (!(gamma >= 0) || !Number.isFinite(gamma)) throw invalid('focal', `gamma must be ≥ 0, got ${gamma}`)
    const alpha = options.alpha ?? 1
    const alphaPerClass = typeof alpha === 'number' ? new Array<number>(t.numClasses).fill(alpha) : [...alpha]
    checkPerClass('focal', 'alpha', alphaPerClass, t.numClasses)
    let perPixel: tf.Tensor = tf.mul(perPixelClassValue(t.oneHot, alphaPerClass), t.nll)
    if (gamma > 0) {
      const pt = tf.exp(tf.neg(t.nll))
      const modulating = tf.pow(tf.clipByValue(tf.sub(1, pt), 1e-12, 1), gamma)
      perPixel = tf.mul(perPixel, modulating)
    }
    return weightedMean(perPixel, t.valid)
  })
}
