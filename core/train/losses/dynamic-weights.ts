/**
 * Dynamic class weights from an exponential moving average of batch class counts. Each batch:
 *
 *   ema_c ← m · ema_c + (1 − m) · count_c      (the first batch sets ema = count)
 *   f_c = ema_c / Σ ema,   w_c ∝ f_c^(−power)  normalised to mean 1 over classes with f_c > 0,
 *   then capped at maxWeight; classes never seen get 0.
 *
 * The training loop calls `update(labels)` before the loss and passes `weights` as `classWeights`, so
 * the weights follow what the sampler actually feeds the model rather than the project totals.
 */
import type * as tf from '@tensorflow/tfjs-core'
import { AppError, UNLABELED } from '../../contract'

export interface DynamicWeightOptions {
  /** EMA momentum m in [0, 1) (default 0.9). */
  momentum?: number
  /** Exponent of the inverse frequency (default 1; 0.5 gives the softer square-root weights). */
  power?: number
  /** Upper bound of any weight (default 50). */
  maxWeight?: number
}

/** Labeled pixels per class in a label map (255 and indices ≥ numClasses are not counted). */
export function batchClassCounts(labels: tf.Tensor | ArrayLike<number>, numClasses: number): Float64Array {
  const data = 'dataSync' in labels ? labels.dataSync() : labels
  const counts = new Float64Array(numClasses)
  for (let i = 0; i < data.length; i++) {
    const v = data[i]
    if (v !== UNLABELED && v >= 0 && v < numClasses) counts[v]++
  }
  return counts
}

/** A small stateful helper producing class weights each batch (see the module comment). */
export class DynamicClassWeights {
  readonly numClasses: number
  private readonly momentum: number
  private readonly power: number
  private readonly maxWeight: number
  private readonly ema: Float64Array
  private seen = false
  private current: number[]

  constructor(numClasses: number, options: DynamicWeightOptions = {}) {
    this.numClasses = numClasses
    this.momentum = options.momentum ?? 0.9
    this.power = options.power ?? 1
    this.maxWeight = options.maxWeight ?? 50
    if (!(this.momentum >= 0 && this.momentum < 1)) throw bad(`momentum must be in [0, 1), got ${this.momentum}`)
    if (!(this.power >= 0)) throw bad(`power must be ≥ 0, got ${this.power}`)
    if (!(this.maxWeight > 0)) throw bad(`maxWeight must be > 0, got ${this.maxWeight}`)
    this.ema = new Float64Array(numClasses)
    this.current = new Array<number>(numClasses).fill(1)
  }

  /** Folds one batch's labels into the EMA and returns the new weights. */
  update(labels: tf.Tensor | ArrayLike<number>): number[] {
    return this.updateCounts(batchClassCounts(labels, this.numClasses))
  }

  /** Same as `update`, from per-class counts already made. */
  updateCounts(counts: ArrayLike<number>): number[] {
    if (counts.length !== this.numClasses) throw bad(`counts have ${counts.length} classes, expected ${this.numClasses}`)
    let total = 0
    for (let c = 0; c < this.numClasses; c++) total += counts[c]
    if (total === 0) return this.weights
    const m = this.seen ? this.momentum : 0
    for (let c = 0; c < this.numClasses; c++) this.ema[c] = m * this.ema[c] + (1 - m) * counts[c]
    this.seen = true
    this.current = this.compute()
    return this.weights
  }

  /** The latest weights (all 1 before the first labeled batch). */
  get weights(): number[] {
    return [...this.current]
  }

  private compute(): number[] {
    let sum = 0
    for (const v of this.ema) sum += v
    const raw = Array.from(this.ema, (v) => (v > 0 ? (v / sum) ** -this.power : 0))
    const present = raw.filter((_, c) => this.ema[c] > 0)
    const mean = present.reduce((a, b) => a + b, 0) / present.length
    return raw.map((w) => Math.min(this.maxWeight, w / mean))
  }
}

function bad(problem: string): AppError {
  return new AppError('INVALID_INPUT', `dynamic class weights: ${problem}`)
}
