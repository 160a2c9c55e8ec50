/**
 * Per-class decision biases fitted on validation pixels. A model trained with class weights (or Dice)
 * often over-predicts a rare class: its ranking of pixels is fine, its threshold is not. Adding a bias
 * b_c to each class's log-probability and predicting argmax_c (log p_c + b_c) moves the thresholds; b is
 * chosen by coordinate search to maximise the run's score on a sample of validation pixels. With b = 0
 * the prediction is the plain arg-max.
 */
import { ConfusionMatrix, computeScores } from '../metrics'

/** Log-probabilities of sampled validation pixels (n × classes, row-major) and their labels (never 255). */
export interface PixelSample {
  logp: Float32Array
  labels: Uint8Array
  classes: number
}

/** What the fit maximises: macro-F1, mean IoU, or the IoU of one class. */
export type CalibrationTarget = { kind: 'macroF1' } | { kind: 'mIoU' } | { kind: 'classIoU'; index: number }

/** Concatenates samples of the same class count. */
export function joinSamples(parts: readonly PixelSample[], classes: number): PixelSample {
  const n = parts.reduce((a, p) => a + p.labels.length, 0)
  const logp = new Float32Array(n * classes)
  const labels = new Uint8Array(n)
  let at = 0
  for (const p of parts) {
    logp.set(p.logp, at * classes)
    labels.set(p.labels, at)
    at += p.labels.length
  }
  return { logp, labels, classes }
}

/** The confusion matrix of the sample's predictions under `bias`. */
export function confusionWithBias(sample: PixelSample, bias: readonly number[]): ConfusionMatrix {
  const c = sample.classes
  const cm = new ConfusionMatrix(c)
  const { logp, labels } = sample
  for (let i = 0; i < labels.length; i++) {
    let best = 0
    let bestV = -Infinity
    for (let k = 0; k < c; k++) {
      const v = logp[i * c + k] + bias[k]
      if (v > bestV) {
        bestV = v
        best = k
      }
    }
    cm.counts[labels[i] * c + best]++
  }
  return cm
}

/** The target's value for a confusion matrix. */
export function targetScore(cm: ConfusionMatrix, target: CalibrationTarget): number {
  const s = computeScores(cm)
  if (target.kind === 'macroF1') return s.macroF1
  if (target.kind === 'mIoU') return s.mIoU
  return s.perClass[target.index]?.iou ?? 0
}

/** Bias values tried for one class in a sweep (log space: e^±3 ≈ 20× in odds). */
const STEPS = [-3, -2, -1.5, -1, -0.7, -0.5, -0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3]

export interface FittedBias {
  bias: number[]
  before: number
  after: number
}

/**
 * Coordinate search: for each class in turn, the offset (from {@link STEPS}, added to its current bias)
 * that scores best, over `sweeps` passes; ties keep the smaller change, so an already calibrated model
 * keeps b = 0. Biases are centred (class 0's is 0: only differences matter).
 */
export function fitBias(sample: PixelSample, target: CalibrationTarget, sweeps = 3): FittedBias {
  const c = sample.classes
  const bias = new Array<number>(c).fill(0)
  const before = targetScore(confusionWithBias(sample, bias), target)
  if (sample.labels.length === 0 || c < 2) return { bias, before, after: before }
  let best = before
  for (let sweep = 0; sweep < sweeps; sweep++) {
    let moved = false
    for (let k = 0; k < c; k++) {
      let bestStep = 0
      for (const step of STEPS) {
        if (step === 0) continue
        const trial = bias.slice()
        trial[k] += step
        const score = targetScore(confusionWithBias(sample, trial), target)
        if (score > best + 1e-9 || (Math.abs(score - best) <= 1e-9 && bestStep !== 0 && Math.abs(step) < Math.abs(bestStep))) {
          best = score
          bestStep = step
        }
      }
      if (bestStep !== 0) {
        bias[k] += bestStep
        moved = true
      }
    }
    if (!moved) break
  }
  const shift = bias[0]
  return { bias: bias.map((b) => b - shift), before, after: best }
}

/**
 * Applies biases to softmax probabilities in place (HWC, `classes` per pixel): p_c ← p_c·e^{b_c},
 * renormalised, so arg-max and confidence both follow the calibrated decision.
 */
export function applyBiasToProbs(probs: Float32Array, classes: number, bias: readonly number[] | null | undefined): void {
  if (!bias || bias.every((b) => b === 0)) return
  const scale = bias.map((b) => Math.exp(b))
  for (let p = 0; p < probs.length; p += classes) {
    let sum = 0
    for (let k = 0; k < classes; k++) {
      const v = probs[p + k] * scale[k]
      probs[p + k] = v
      sum += v
    }
    if (sum > 0) for (let k = 0; k < classes; k++) probs[p + k] /= sum
  }
}
