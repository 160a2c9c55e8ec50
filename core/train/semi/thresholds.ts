/**
 * Per-class confidence thresholds for the teacher's pseudo-targets. One global threshold lets the
 * majority class take nearly every confident pixel: a rare class's predictions are less confident, so
 * it would be drowned. Following FlexMatch (Zhang et al. 2021), each class's threshold is scaled by how
 * well the teacher has learned it, measured here as the rate of confident pixels (p ≥ τ) among the
 * pixels predicted as that class (a rate, not a count, so a class's area does not decide its threshold).
 * As in FlexMatch's warm-up, the share of pixels confident for no class bounds the normaliser from below,
 * so a young teacher that is rarely sure of anything gets low thresholds for every class instead of
 * none reaching τ and none ever becoming a target:
 *   β_c = rate_c / max(max_k rate_k, unsure),   τ_c = clamp(τ · β_c / (2 − β_c), floor, τ).
 * A class the model predicts imprecisely on validation must be more certain:
 *   τ_c ← 1 − (1 − τ_c) · precision_c.
 * Plain arrays in, plain arrays out; the teacher feeds softmax probabilities.
 */
import { UNLABELED } from '../../contract'

export interface ThresholdOptions {
  /** Threshold of the best-learned class (FixMatch's τ). */
  base: number
  /** No class's threshold goes below this. */
  floor: number
  /** Moving-average factor of the per-class confident rates (per observed batch). */
  momentum: number
}

export const DEFAULT_THRESHOLDS: ThresholdOptions = { base: 0.95, floor: 0.7, momentum: 0.9 }

/** What one call of `select` kept. */
export interface Selection {
  /** Per pixel the target class, or 255 where the teacher was not confident enough. */
  targets: Uint8Array
  /** Per class: pixels that became targets of that class. */
  kept: number[]
  /** Pixels looked at. */
  pixels: number
}

export class ClassThresholds {
  private readonly rate: Float64Array
  private readonly seen: boolean[]
  /** Moving average of the share of pixels confident for no class (1 before any pixel was seen). */
  private unsure = 1
  private observed = false
  private precision: (number | null)[] | null = null

  constructor(
    readonly numClasses: number,
    private readonly opts: ThresholdOptions = DEFAULT_THRESHOLDS,
  ) {
    this.rate = new Float64Array(numClasses)
    this.seen = new Array<boolean>(numClasses).fill(false)
  }

  /** Validation precision per class (null entries: no prediction of that class on validation). */
  setPrecision(precision: readonly (number | null)[] | null): void {
    this.precision = precision ? [...precision] : null
  }

  precisions(): (number | null)[] | null {
    return this.precision ? [...this.precision] : null
  }

  /** The thresholds in force. A class never predicted yet counts as learned at rate 0 (the floor). */
  thresholds(): number[] {
    const { base, floor } = this.opts
    let top = this.unsure
    for (let c = 0; c < this.numClasses; c++) if (this.seen[c]) top = Math.max(top, this.rate[c])
    return Array.from({ length: this.numClasses }, (_, c) => {
      const beta = top > 0 && this.seen[c] ? this.rate[c] / top : 0
      let t = Math.min(base, Math.max(floor, (base * beta) / (2 - beta)))
      const p = this.precision?.[c]
      if (p !== null && p !== undefined && Number.isFinite(p)) t = 1 - (1 - t) * Math.min(1, Math.max(0, p))
      return t
    })
  }

  /**
   * Chooses targets from softmax probabilities (`pixels` × `numClasses`, pixel-major) with the thresholds
   * in force, then folds this batch's confident rates into the moving averages. Pixels where `skip` is
   * 255 (padding outside an image) get no target and are not counted.
   */
  select(probs: Float32Array, skip?: Uint8Array): Selection {
    const k = this.numClasses
    const n = Math.floor(probs.length / k)
    const tau = this.thresholds()
    const targets = new Uint8Array(n).fill(UNLABELED)
    const kept = new Array<number>(k).fill(0)
    const predicted = new Array<number>(k).fill(0)
    const confident = new Array<number>(k).fill(0)
    let looked = 0
    for (let p = 0; p < n; p++) {
      if (skip && skip[p] === UNLABELED) continue
      looked++
      let best = 0
      let bestP = probs[p * k]
      for (let c = 1; c < k; c++) {
        const v = probs[p * k + c]
        if (v > bestP) {
          bestP = v
          best = c
        }
      }
      predicted[best]++
      if (bestP >= this.opts.base) confident[best]++
      if (bestP >= tau[best]) {
        targets[p] = best
        kept[best]++
      }
    }
    const m = this.opts.momentum
    if (looked > 0) {
      const unsure = 1 - confident.reduce((a, b) => a + b, 0) / looked
      this.unsure = this.observed ? m * this.unsure + (1 - m) * unsure : unsure
      this.observed = true
    }
    for (let c = 0; c < k; c++) {
      if (predicted[c] === 0) continue
      const r = confident[c] / predicted[c]
      this.rate[c] = this.seen[c] ? m * this.rate[c] + (1 - m) * r : r
      this.seen[c] = true
    }
    return { targets, kept, pixels: looked }
  }
}
