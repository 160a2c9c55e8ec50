/**
 * Cross-entropy and class-weighted cross-entropy over labeled pixels.
 *
 *   CE  = Σ_i v_i · (−log p_i[y_i]) / Σ_i v_i
 *   WCE = Σ_i v_i · w[y_i] · (−log p_i[y_i]) / Σ_i v_i · w[y_i]
 *
 * where v_i is 1 for a labeled pixel and 0 for 255. WCE is normalised by the summed weights (as
 * PyTorch's `CrossEntropyLoss(weight=…)` with mean reduction), so all weights 1 gives exactly CE and the
 * loss scale does not depend on how the weights were normalised.
 */
import * as tf from '@tensorflow/tfjs-core'
import { checkPerClass, perPixelClassValue, pixelTerms, weightedMean, type LossOptions } from './common'

/** Mean cross-entropy over labeled pixels. */
export function crossEntropy(logits: tf.Tensor4D, labels: tf.Tensor3D): tf.Scalar {
  return tf.tidy(() => {
    const t = pixelTerms('ce', logits, labels)
    return weightedMean(t.nll, t.valid)
  })
}

/** Class-weighted cross-entropy; without `classWeights` it is plain cross-entropy. */
export function weightedCrossEntropy(logits: tf.Tensor4D, labels: tf.Tensor3D, options: LossOptions = {}): tf.Scalar {
  return tf.tidy(() => {
    const t = pixelTerms('weighted-ce', logits, labels)
    if (!options.classWeights) return weightedMean(t.nll, t.valid)
    checkPerClass('weighted-ce', 'classWeights', options.classWeights, t.numClasses)
    return weightedMean(t.nll, perPixelClassValue(t.oneHot, options.classWeights))
  })
}
