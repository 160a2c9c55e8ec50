/**
 * Segmentation scores from a confusion matrix. Per class c, with TP, FP (predicted c, true other) and
 * FN (true c, predicted other):
 *
 *   IoU = TP / (TP + FP + FN)     Dice = F1 = 2TP / (2TP + FP + FN)
 *   precision = TP / (TP + FP)    recall = TP / (TP + FN)      (0 when the denominator is 0)
 *
 * mIoU and macro-F1 average over the classes present in the labels OR the predictions
 * (TP + FP + FN > 0). A class absent from both has no error to measure and would only inflate or
 * deflate the mean, so it is left out; a class that is predicted but not labeled scores 0 and counts.
 * Pixel accuracy is reported for completeness only: early stopping never uses it.
 */
import type { ClassMetrics } from '../../contract'
import type { ConfusionMatrix } from './confusion'

/** The contract's per-class metrics plus whether the class counts in the means. */
export interface ClassScores extends ClassMetrics {
  /** Pixels predicted as this class. */
  predicted: number
  /** Present in labels or predictions, i.e. included in mIoU and macro-F1. */
  present: boolean
}

export interface SegmentationScores {
  perClass: ClassScores[]
  mIoU: number
  macroF1: number
  /** Mean Dice over present classes (equal to macro-F1 at pixel level). */
  meanDice: number
  pixelAccuracy: number
  /** Classes included in the means. */
  presentClasses: number[]
}

/** Per-class and mean scores of a confusion matrix (see the module comment for the averaging rule). */
export function computeScores(cm: ConfusionMatrix): SegmentationScores {
  const c = cm.numClasses
  const perClass: ClassScores[] = []
  let correct = 0
  for (let k = 0; k < c; k++) {
    const tp = cm.get(k, k)
    let support = 0
    let predicted = 0
    for (let j = 0; j < c; j++) {
      support += cm.get(k, j)
      predicted += cm.get(j, k)
    }
    correct += tp
    const fp = predicted - tp
    const fn = support - tp
    const present = tp + fp + fn > 0
    const f1 = ratio(2 * tp, 2 * tp + fp + fn)
    perClass.push({
      index: k,
      iou: ratio(tp, tp + fp + fn),
      dice: f1,
      precision: ratio(tp, tp + fp),
      recall: ratio(tp, tp + fn),
      f1,
      support,
      predicted,
      present,
    })
  }
  const present = perClass.filter((s) => s.present)
  const mean = (pick: (s: ClassScores) => number): number => (present.length > 0 ? present.reduce((a, s) => a + pick(s), 0) / present.length : 0)
  const total = cm.total
  return {
    perClass,
    mIoU: mean((s) => s.iou),
    macroF1: mean((s) => s.f1),
    meanDice: mean((s) => s.dice),
    pixelAccuracy: ratio(correct, total),
    presentClasses: present.map((s) => s.index),
  }
}

function ratio(a: number, b: number): number {
  return b > 0 ? a / b : 0
}
