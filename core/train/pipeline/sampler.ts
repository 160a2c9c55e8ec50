/**
 * Class-aware image sampling: each image weighs as much as the rarest class it really contains
 * (weight = max over classes of rarity × presence), and a WeightedRandomSampler draws an epoch of images
 * with replacement from those weights, optionally capping how often one image repeats in an epoch.
 */
import { AppError } from '../../contract'
import type { Random } from './types'

export interface ImageWeightOptions {
  /** Pixels of a class that count as full presence (default 16); fewer scale presence down linearly. */
  presencePixels?: number
}

/**
 * An image's sampling weight: max over classes c of rarity[c] × presence(c), presence = min(1, pixels of
 * c / presencePixels). An image with no labeled pixel gets 0.
 */
export function imageWeight(counts: readonly number[], rarity: readonly number[], opts: ImageWeightOptions = {}): number {
  const full = opts.presencePixels ?? 16
  let w = 0
  for (let c = 0; c < counts.length; c++) w = Math.max(w, rarity[c] * Math.min(1, counts[c] / full))
  return w
}

/**
 * Draws indices 0..n−1 with probability proportional to `weights`, with replacement (like PyTorch's
 * WeightedRandomSampler). A cap limits the draws of one index per epoch: once reached, the index
 * drops out for the rest of that epoch.
 */
export class WeightedRandomSampler {
  private readonly weights: Float64Array

  constructor(weights: readonly number[]) {
    if (weights.length === 0) throw new AppError('INVALID_INPUT', 'sampler: no images to sample from')
    if (weights.some((w) => !(w >= 0) || !Number.isFinite(w))) throw new AppError('INVALID_INPUT', 'sampler: weights must be finite and ≥ 0')
    this.weights = Float64Array.from(weights)
    if (this.weights.every((w) => w === 0)) this.weights.fill(1)
  }

  get size(): number {
    return this.weights.length
  }

  /** Probability of each index on a single uncapped draw. */
  probabilities(): number[] {
    const total = this.weights.reduce((a, b) => a + b, 0)
    return Array.from(this.weights, (w) => w / total)
  }

  /** One draw (no cap). */
  draw(rng: Random): number {
    return pick(this.weights, rng)
  }

  /**
   * An epoch of `length` draws. With `maxRepeats`, no index appears more than that many times; when every
   * index with weight has reached the cap the epoch is shorter than `length`.
   */
  epoch(rng: Random, length: number, maxRepeats?: number | null): number[] {
    const w = Float64Array.from(this.weights)
    const used = new Int32Array(w.length)
    const out: number[] = []
    for (let i = 0; i < length; i++) {
      if (!w.some((x) => x > 0)) break
      const k = pick(w, rng)
      out.push(k)
      used[k]++
      if (maxRepeats != null && used[k] >= maxRepeats) w[k] = 0
    }
    return out
  }
}

/** Index drawn proportionally to `w` (linear scan: image counts are small next to a training step). */
function pick(w: Float64Array, rng: Random): number {
  let total = 0
  for (const x of w) total += x
  let r = rng.next() * total
  let last = 0
  for (let i = 0; i < w.length; i++) {
    if (w[i] <= 0) continue
    last = i
    r -= w[i]
    if (r < 0) return i
  }
  return last
}
