/**
 * Class-balanced confidence thresholds for pseudo-labels (class-balanced self-training, Zou et al.
 * 2018): one global threshold keeps the confident majority class and drops nearly every pixel of a rare
 * class, whose predictions are less confident. Instead each class keeps its own top fraction of most
 * confident pixels (of the pixels predicted as that class across the whole round), and no pixel below a
 * confidence floor is ever kept. Confidences are the 8-bit levels the round stores (0..255 = 0..1), so
 * a threshold found on the histogram is exact for the stored maps.
 */
import { UNLABELED } from '../../contract'

/** Confidence levels of the stored maps. */
export const CONFIDENCE_LEVELS = 256

/** The 8-bit level of a 0..1 confidence, as the round's confidence PNG stores it. */
export function confidenceLevel(confidence: number): number {
  return Math.round(Math.min(1, Math.max(0, confidence)) * 255)
}

/** Per-class histograms of confidence levels of the pixels predicted as that class. */
export class ConfidenceHistogram {
  readonly counts: Float64Array

  constructor(readonly numClasses: number) {
    this.counts = new Float64Array(numClasses * CONFIDENCE_LEVELS)
  }

  /** Adds an image's predicted mask (class per pixel, 255 skipped) and its 8-bit confidence levels. */
  add(mask: Uint8Array, levels: Uint8Array): void {
    if (mask.length !== levels.length) throw new RangeError(`mask has ${mask.length} pixels, confidence ${levels.length}`)
    for (let p = 0; p < mask.length; p++) {
      const c = mask[p]
      if (c === UNLABELED || c >= this.numClasses) continue
      this.counts[c * CONFIDENCE_LEVELS + levels[p]]++
    }
  }

  /** Pixels predicted as class c. */
  total(c: number): number {
    let n = 0
    for (let b = 0; b < CONFIDENCE_LEVELS; b++) n += this.counts[c * CONFIDENCE_LEVELS + b]
    return n
  }
}

/**
 * The threshold level of each class: the highest level b such that at least ⌈topFraction · n_c⌉ of the
 * n_c pixels predicted as c have level ≥ b (ties at b are all kept), raised to the floor's level.
 * null for a class no pixel was predicted as.
 */
export function classThresholdLevels(hist: ConfidenceHistogram, topFraction: number, floor: number): (number | null)[] {
  if (!(topFraction > 0 && topFraction <= 1)) throw new RangeError(`topFraction must be in (0, 1], got ${topFraction}`)
  if (!(floor >= 0 && floor <= 1)) throw new RangeError(`floor must be in [0, 1], got ${floor}`)
  const floorLevel = Math.ceil(floor * 255 - 1e-9)
  const out: (number | null)[] = []
  for (let c = 0; c < hist.numClasses; c++) {
    const n = hist.total(c)
    if (n === 0) {
      out.push(null)
      continue
    }
    const want = Math.ceil(topFraction * n - 1e-9)
    let kept = 0
    let level = 0
    for (let b = CONFIDENCE_LEVELS - 1; b >= 0; b--) {
      kept += hist.counts[c * CONFIDENCE_LEVELS + b]
      if (kept >= want) {
        level = b
        break
      }
    }
    out.push(Math.max(level, floorLevel))
  }
  return out
}

/** Threshold levels as 0..1 confidences (what a round reports). */
export function levelsToConfidence(levels: readonly (number | null)[]): (number | null)[] {
  return levels.map((l) => (l === null ? null : l / 255))
}

/**
 * The pseudo mask: each pixel keeps its predicted class when its confidence level reaches the class's
 * threshold, else becomes 255 (unlabeled, ignored by every loss).
 */
export function applyThresholds(mask: Uint8Array, levels: Uint8Array, thresholds: readonly (number | null)[]): Uint8Array {
  if (mask.length !== levels.length) throw new RangeError(`mask has ${mask.length} pixels, confidence ${levels.length}`)
  const out = new Uint8Array(mask.length)
  for (let p = 0; p < mask.length; p++) {
    const c = mask[p]
    const t = c < thresholds.length ? thresholds[c] : null
    out[p] = t !== null && t !== undefined && levels[p] >= t ? c : UNLABELED
  }
  return out
}

/**
 * Raises each class's threshold level by the model's validation precision of that class, as the online
 * thresholds of consistency training do (core/train/semi/thresholds): τ ← 1 − (1 − τ) · p. A class the
 * model predicts precisely keeps its threshold; one it predicts half wrong keeps only pixels twice as far
 * into the confident end; a class never predicted right keeps nothing. A null precision (the class was
 * never predicted on validation) leaves the level alone.
 */
export function precisionScaledLevels(levels: readonly (number | null)[], precision: readonly (number | null)[]): (number | null)[] {
  return levels.map((l, c) => {
    const p = precision[c]
    if (l === null || p === null || p === undefined || !Number.isFinite(p)) return l
    const tau = 1 - (1 - l / 255) * Math.min(1, Math.max(0, p))
    // Level 255 is "certain": a precision of 0 must keep nothing, so beyond 255 means none.
    return p <= 0 ? CONFIDENCE_LEVELS : Math.min(255, Math.ceil(tau * 255 - 1e-9))
  })
}
