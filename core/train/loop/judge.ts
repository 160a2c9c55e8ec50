/**
 * What a validation pass says about a model: its scores, with the per-class decision biases fitted on
 * the validation pixel sample applied when the run calibrates (the prediction the model will really
 * make), and the value of the run's stop metric. Rare-class IoU is the IoU of the class with the fewest
 * training pixels.
 */
import type { StopMetric, TrainConfig } from '../../contract'
import { fitBias, confusionWithBias, type CalibrationTarget } from '../calibrate/bias'
import { computeScores, type ConfusionMatrix, type SegmentationScores } from '../metrics'
import type { TrainImage } from './data-source'
import type { ValidationResult } from './validate'

/** Validation pixels sampled for calibration at most (about 300k: a few MB of log-probabilities). */
export const MAX_SAMPLE_PIXELS = 300_000

export interface Judgement {
  scores: SegmentationScores
  confusion: ConfusionMatrix
  /** Fitted biases (null: not calibrated). */
  bias: number[] | null
  /** Stop-metric value before calibration (null: not calibrated or valLoss). */
  uncalibrated: number | null
  /** Value of the stop metric (null when it cannot be measured, e.g. no validation loss). */
  value: number | null
}

/** Stride of the calibration sample over labeled validation pixels. */
export function sampleStride(images: readonly TrainImage[]): number {
  const labeled = images.reduce((a, img) => a + img.labels.reduce((n, l) => n + (l !== 255 ? 1 : 0), 0), 0)
  return Math.max(1, Math.ceil(labeled / MAX_SAMPLE_PIXELS))
}

/** The stop metric's value from scores (valLoss from the validation loss). */
export function metricValue(metric: StopMetric, scores: SegmentationScores, loss: number | null, rareClass: number): number | null {
  if (metric === 'valLoss') return loss
  if (metric === 'rareIoU') return scores.perClass[rareClass]?.iou ?? 0
  return scores[metric]
}

function targetFor(metric: StopMetric, rareClass: number): CalibrationTarget {
  if (metric === 'mIoU') return { kind: 'mIoU' }
  if (metric === 'rareIoU') return { kind: 'classIoU', index: rareClass }
  return { kind: 'macroF1' }
}

/** Judges a validation result under `config` (calibrating when `config.calibrate` and a sample was taken). */
export function judge(val: ValidationResult, config: Pick<TrainConfig, 'calibrate' | 'stopMetric'>, rareClass: number): Judgement {
  if (!config.calibrate || !val.sample || val.sample.labels.length === 0) {
    const scores = computeScores(val.confusion)
    return { scores, confusion: val.confusion, bias: null, uncalibrated: null, value: metricValue(config.stopMetric, scores, val.loss, rareClass) }
  }
  const fit = fitBias(val.sample, targetFor(config.stopMetric, rareClass))
  const confusion = confusionWithBias(val.sample, fit.bias)
  const scores = computeScores(confusion)
  const uncalibrated = config.stopMetric === 'valLoss' ? null : metricValue(config.stopMetric, computeScores(confusionWithBias(val.sample, fit.bias.map(() => 0))), val.loss, rareClass)
  return { scores, confusion, bias: fit.bias, uncalibrated, value: metricValue(config.stopMetric, scores, val.loss, rareClass) }
}
