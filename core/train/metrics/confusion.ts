/**
 * Pixel confusion matrix accumulated over batches. Rows are the true class, columns the predicted class
 * (as the contract's `EpochMetrics.confusion`); pixels labeled 255 are skipped. The argmax runs on
 * tensors, the counting in plain typed arrays.
 */
import * as tf from '@tensorflow/tfjs-core'
import { AppError, UNLABELED } from '../../contract'

/** A C×C confusion matrix of raw pixel counts. */
export class ConfusionMatrix {
  readonly numClasses: number
  /** Row-major counts: counts[true · C + predicted]. */
  readonly counts: Float64Array

  constructor(numClasses: number) {
    if (!Number.isInteger(numClasses) || numClasses < 1 || numClasses > 255) {
      throw new AppError('INVALID_INPUT', `confusion matrix: class count must be an integer in 1..255, got ${numClasses}`)
    }
    this.numClasses = numClasses
    this.counts = new Float64Array(numClasses * numClasses)
  }

  /** Adds predicted and true class maps of the same length; labels of 255 are skipped. */
  add(predictions: ArrayLike<number>, labels: ArrayLike<number>): void {
    if (predictions.length !== labels.length) {
      throw new AppError('INVALID_INPUT', `confusion matrix: ${predictions.length} predictions for ${labels.length} labels`)
    }
    const c = this.numClasses
    for (let i = 0; i < labels.length; i++) {
      const t = labels[i]
      if (t === UNLABELED) continue
      const p = predictions[i]
      if (!(t >= 0 && t < c) || !(p >= 0 && p < c)) {
        throw new AppError('INVALID_INPUT', `confusion matrix: pixel ${i} has label ${t} and prediction ${p}, but classes are 0..${c - 1} (255 = unlabeled)`)
      }
      this.counts[t * c + p]++
    }
  }

  /**
   * Adds a batch from tensors: `predictions` is either logits/probabilities [B,H,W,C] (argmax taken
   * here) or class indices [B,H,W]; `labels` is [B,H,W] with 255 = unlabeled.
   */
  addTensors(predictions: tf.Tensor, labels: tf.Tensor): void {
    const classes = tf.tidy(() => (predictions.rank === 4 ? tf.argMax(predictions, -1) : tf.cast(predictions, 'int32')))
    try {
      if (classes.size !== labels.size) {
        throw new AppError('INVALID_INPUT', `confusion matrix: prediction shape [${predictions.shape.join(',')}] does not match labels [${labels.shape.join(',')}]`)
      }
      this.add(classes.dataSync(), labels.dataSync())
    } finally {
      classes.dispose()
    }
  }

  /** Adds another matrix of the same size (e.g. from another worker or split). */
  merge(other: ConfusionMatrix): void {
    if (other.numClasses !== this.numClasses) {
      throw new AppError('INVALID_INPUT', `confusion matrix: cannot merge ${other.numClasses} classes into ${this.numClasses}`)
    }
    for (let i = 0; i < this.counts.length; i++) this.counts[i] += other.counts[i]
  }

  /** Clears all counts. */
  reset(): void {
    this.counts.fill(0)
  }

  /** The count of pixels of true class `t` predicted as `p`. */
  get(t: number, p: number): number {
    return this.counts[t * this.numClasses + p]
  }

  /** Counted (labeled) pixels. */
  get total(): number {
    let s = 0
    for (const v of this.counts) s += v
    return s
  }

  /** Rows = true class, columns = predicted class, raw counts. */
  toArray(): number[][] {
    const c = this.numClasses
    return Array.from({ length: c }, (_, t) => Array.from(this.counts.subarray(t * c, (t + 1) * c)))
  }

  /** Each row divided by its sum (the share of a true class predicted as each class); all-zero rows stay 0. */
  rowNormalised(): number[][] {
    return this.toArray().map((row) => {
      const sum = row.reduce((a, b) => a + b, 0)
      return sum > 0 ? row.map((v) => v / sum) : row.map(() => 0)
    })
  }

  /** A matrix from rows of counts (rows = true, columns = predicted). */
  static fromArray(rows: readonly (readonly number[])[]): ConfusionMatrix {
    const cm = new ConfusionMatrix(rows.length)
    rows.forEach((row, t) => {
      if (row.length !== rows.length) throw new AppError('INVALID_INPUT', `confusion matrix: row ${t} has ${row.length} entries, expected ${rows.length}`)
      row.forEach((v, p) => (cm.counts[t * rows.length + p] = v))
    })
    return cm
  }
}
