/**
 * What the sampler knows about each training image's classes: pixel counts per class, and for the rare
 * classes the list of their pixel positions, so a rare-biased crop can draw a pixel of a class uniformly
 * in O(1). Class rarity comes from the training set's pixel totals.
 */
import { IGNORE, type LabeledImage } from './types'

/** Pixel counts per class of one mask (255 and indices ≥ numClasses skipped). */
export function classCounts(labels: Uint8Array, numClasses: number): number[] {
  const hist = new Float64Array(256)
  for (let i = 0; i < labels.length; i++) hist[labels[i]]++
  return Array.from(hist.subarray(0, numClasses))
}

export interface RarityOptions {
  /** Exponent on the frequency ratio: 1 = inverse frequency, 0.5 (default) = its square root. */
  power?: number
  /** Largest weight (default 10), so one tiny class cannot take over every epoch. */
  maxWeight?: number
}

/**
 * Rarity weight per class from pixel totals: (most common class's pixels / this class's pixels)^power,
 * capped at maxWeight. The most common class weighs 1; a class with no pixels weighs 0.
 */
export function classRarity(totals: readonly number[], opts: RarityOptions = {}): number[] {
  const power = opts.power ?? 0.5
  const cap = opts.maxWeight ?? 10
  const top = Math.max(0, ...totals)
  return totals.map((t) => (t > 0 ? Math.min(cap, Math.pow(top / t, power)) : 0))
}

/** Per-image class content: counts, and pixel index lists for the classes listed as rare. */
export interface ImageClassIndex {
  counts: number[]
  /** Row-major pixel indices of each rare class (empty for other classes). */
  pixels: Int32Array[]
}

/** Indexes one image; `rare[c]` says whether to keep class c's pixel list. */
export function indexImage(image: LabeledImage, numClasses: number, rare: readonly boolean[]): ImageClassIndex {
  const counts = classCounts(image.labels, numClasses)
  const pixels = counts.map((n, c) => new Int32Array(rare[c] ? n : 0))
  const fill = new Int32Array(numClasses)
  const labels = image.labels
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]
    if (c !== IGNORE && c < numClasses && rare[c]) pixels[c][fill[c]++] = i
  }
  return { counts, pixels }
}

/** Summed per-class counts of several images. */
export function totalCounts(perImage: readonly (readonly number[])[], numClasses: number): number[] {
  const totals = new Array<number>(numClasses).fill(0)
  for (const counts of perImage) for (let c = 0; c < numClasses; c++) totals[c] += counts[c] ?? 0
  return totals
}
