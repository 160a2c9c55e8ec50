/**
 * Multi-class soft Dice and CE + Dice. Dice is computed over the labeled pixels of the whole batch
 * (ignored pixels contribute neither prediction nor target), per class c:
 *
 *   dice_c = (2 Σ_i p_ic·y_ic + s) / (Σ_i p_ic + Σ_i y_ic + s)     (p = softmax, y = one-hot, s = smooth)
 *   Dice loss = 1 − Σ_c m_c·w_c·dice_c / Σ_c m_c·w_c
 *
 * where m_c is 1 for the classes present in the batch's labels (a class absent from the labels would
 * otherwise score a trivial 1 or an unfair 0) and w_c the optional class weights (default 1). False
 * positives of an absent class still cost: they take probability from the true class of those pixels.
 */
import * as tf from '@tensorflow/tfjs-core'
import { EPS, checkPerClass, invalid, pixelTerms, type LossOptions } from './common'
import { weightedCrossEntropy } from './cross-entropy'

/** Soft Dice loss in [0, 1]; reads `smooth` (default 1) and `classWeights`. */
export function diceLoss(logits: tf.Tensor4D, labels: tf.Tensor3D, options: LossOptions = {}): tf.Scalar {
  return tf.tidy(() => {
    const t = pixelTerms('dice', logits, labels)
    const smooth = options.smooth ?? 1
    if (!(smooth >= 0) || !Number.isFinite(smooth)) throw invalid('dice', `smooth must be ≥ 0, got ${smooth}`)
    const probs = tf.mul(tf.exp(t.logProbs), tf.expandDims(t.valid, -1))
    const axes = [0, 1, 2]
    const intersection = tf.sum(tf.mul(probs, t.oneHot), axes)
    const predicted = tf.sum(probs, axes)
    const target = tf.sum(t.oneHot, axes)
    const dice = tf.div(tf.add(tf.mul(intersection, 2), smooth), tf.maximum(tf.add(tf.add(predicted, target), smooth), EPS))
    let classMask: tf.Tensor = tf.cast(tf.greater(target, 0), 'float32')
    if (options.classWeights) {
      checkPerClass('dice', 'classWeights', options.classWeights, t.numClasses)
      classMask = tf.mul(classMask, tf.tensor1d(options.classWeights as number[], 'float32'))
    }
    const total = tf.sum(classMask)
    const meanDice = tf.div(tf.sum(tf.mul(dice, classMask)), tf.maximum(total, EPS))
    // With no labeled pixel (total = 0) the loss is 0, still connected to the logits for the gradient.
    return tf.mul(tf.sub(1, meanDice), tf.cast(tf.greater(total, 0), 'float32')) as tf.Scalar
  })
}

/**
 * ceWeight · (weighted) cross-entropy + diceWeight · soft Dice (defaults 1 and 1); `classWeights`
 * weight both terms.
 */
export function ceDiceLoss(logits: tf.Tensor4D, labels: tf.Tensor3D, options: LossOptions = {}): tf.Scalar {
  return tf.tidy(() => {
    const ceWeight = options.ceWeight ?? 1
    const diceWeight = options.diceWeight ?? 1
    const ce = tf.mul(weightedCrossEntropy(logits, labels, options), ceWeight)
    return tf.add(ce, tf.mul(diceLoss(logits, labels, options), diceWeight)) as tf.Scalar
  })
}
