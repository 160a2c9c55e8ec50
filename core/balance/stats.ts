/**
 * Class-balance statistics of a project: per-class pixels, shares, image counts, SegNet frequency and
 * the weights of every scheme, computed from accumulated totals in O(classes). The shape matches what
 * `labelloop stats --json` prints and what the Balance view shows.
 */
import type { ClassWeighting } from '../contract'
import type { BalanceAccumulator, BalanceTotals } from './accumulator'
import { DEFAULT_EFFECTIVE_BETA, effectiveNumberWeights, inverseFrequencyWeights, medianFrequencyWeights } from './weights'

/** One class's numbers. `share` is its part of all labeled pixels (0..1). */
export interface ClassBalance {
  index: number
  name: string
  pixels: number
  share: number
  /** Images containing at least one pixel of the class. */
  images: number
  /** SegNet frequency: pixels of the class / labeled pixels of the images containing it. */
  frequency: number
}

/** The weights of each scheme, indexed by class (0 for a class without pixels). */
export interface BalanceWeights {
  inverseFrequency: number[]
  medianFrequency: number[]
  effectiveNumber: number[]
}

/** Everything the Balance view and the trainer need about the labels of one group of images. */
export interface BalanceStats {
  labeledImages: number
  labeledPixels: number
  classes: ClassBalance[]
  weights: BalanceWeights
  /** Classes with no labeled pixel (their weights are 0). */
  missing: number[]
}

/** Human labels, accepted pseudo-labels, and both together. */
export interface BalanceReport {
  all: BalanceStats
  human: BalanceStats
  pseudo: BalanceStats
}

export interface BalanceOptions {
  /** Class names by index; missing names read "class <index>". */
  names?: readonly string[]
  /** β of the effective-number weights (default 0.9999). */
  beta?: number
}

/** Statistics and weights from totals (see {@link BalanceTotals}). */
export function computeBalance(totals: BalanceTotals, options: BalanceOptions = {}): BalanceStats {
  const { pixels, containingPixels } = totals
  const median = medianFrequencyWeights(pixels, containingPixels)
  const classes: ClassBalance[] = pixels.map((p, index) => ({
    index,
    name: options.names?.[index] ?? `class ${index}`,
    pixels: p,
    share: totals.labeledPixels > 0 ? p / totals.labeledPixels : 0,
    images: totals.images[index],
    frequency: median.frequency[index],
  }))
  return {
    labeledImages: totals.labeledImages,
    labeledPixels: totals.labeledPixels,
    classes,
    weights: {
      inverseFrequency: inverseFrequencyWeights(pixels).weights,
      medianFrequency: median.weights,
      effectiveNumber: effectiveNumberWeights(pixels, options.beta ?? DEFAULT_EFFECTIVE_BETA).weights,
    },
    missing: median.missing,
  }
}

/** Statistics of human labels, accepted pseudo-labels and both, from one accumulator. */
export function balanceReport(acc: BalanceAccumulator, options: BalanceOptions = {}): BalanceReport {
  return {
    all: computeBalance(acc.totals('all'), options),
    human: computeBalance(acc.totals('human'), options),
    pseudo: computeBalance(acc.totals('pseudo'), options),
  }
}

/**
 * The weights of a training configuration's `classWeights` scheme (the contract's ClassWeighting),
 * ready to pass to a loss as `classWeights`; null for 'none'.
 */
export function weightsForScheme(stats: BalanceStats, scheme: ClassWeighting): number[] | null {
  switch (scheme) {
    case 'none':
      return null
    case 'inverse':
      return [...stats.weights.inverseFrequency]
    case 'median':
      return [...stats.weights.medianFrequency]
    case 'effective':
      return [...stats.weights.effectiveNumber]
  }
}
