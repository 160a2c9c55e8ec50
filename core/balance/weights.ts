/**
 * Class-weighting schemes computed from per-class pixel totals. A class with no labeled pixels gets
 * weight 0 and is listed in `missing`: a loss cannot learn it, and a finite weight keeps the loss finite.
 */
import { AppError } from '../contract'

/** Per-class weights plus the classes that had no pixels (weight 0). */
export interface ClassWeights {
  weights: number[]
  missing: number[]
}

/** The default β of effective-number weighting (Cui et al. 2019). */
export const DEFAULT_EFFECTIVE_BETA = 0.9999

/**
 * SegNet frequency per class: freq(c) = pixels of c / labeled pixels of the images that contain c.
 * 0 for a class that occurs in no image.
 */
export function classFrequencies(pixels: ArrayLike<number>, containingPixels: ArrayLike<number>): number[] {
  sameLength(pixels, containingPixels)
  const out: number[] = []
  for (let c = 0; c < pixels.length; c++) out.push(pixels[c] > 0 && containingPixels[c] > 0 ? pixels[c] / containingPixels[c] : 0)
  return out
}

/**
 * Median-frequency balancing (Eigen & Fergus 2015, used by SegNet):
 * weight(c) = median over present classes of freq / freq(c). The median of an even number of
 * frequencies is the mean of the middle two. The median class gets weight 1.
 */
export function medianFrequencyWeights(
  pixels: ArrayLike<number>,
  containingPixels: ArrayLike<number>,
): ClassWeights & { frequency: number[] } {
  const frequency = classFrequencies(pixels, containingPixels)
  const missing = missingClasses(pixels)
  const present = frequency.filter((_, c) => pixels[c] > 0)
  const med = median(present)
  const weights = frequency.map((f, c) => (pixels[c] > 0 ? med / f : 0))
  return { weights, missing, frequency }
}

/**
 * Inverse-frequency weights: weight(c) ∝ 1 / pixels(c), normalised so that the mean over present
 * classes is 1.
 */
export function inverseFrequencyWeights(pixels: ArrayLike<number>): ClassWeights {
  const raw = Array.from(pixels, (p) => (p > 0 ? 1 / p : 0))
  return { weights: normaliseMeanOne(raw, pixels), missing: missingClasses(pixels) }
}

/**
 * Effective-number weights (Cui et al. 2019, "Class-Balanced Loss Based on Effective Number of
 * Samples"): weight(c) ∝ (1 − β) / (1 − β^n_c), normalised to mean 1 over present classes.
 * 1 − β^n is computed as −expm1(n·log1p(−(1−β))) so that β close to 1 keeps its precision.
 * With pixels as samples, classes with n ≫ 1/(1 − β) saturate to the same weight; a smaller β
 * flattens the weights further, β → 1 tends to inverse frequency.
 */
export function effectiveNumberWeights(pixels: ArrayLike<number>, beta = DEFAULT_EFFECTIVE_BETA): ClassWeights {
  if (!(beta >= 0 && beta < 1)) {
    throw new AppError('INVALID_INPUT', `effective-number weights: β must be in [0, 1), got ${beta}`)
  }
  const logBeta = Math.log1p(-(1 - beta))
  const raw = Array.from(pixels, (n) => {
    if (!(n > 0)) return 0
    const oneMinusBetaN = beta === 0 ? 1 : -Math.expm1(n * logBeta)
    return (1 - beta) / oneMinusBetaN
  })
  return { weights: normaliseMeanOne(raw, pixels), missing: missingClasses(pixels) }
}

/** Median of a list (mean of the middle two for an even length); 0 for an empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0
  const s = [...values].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

function normaliseMeanOne(raw: number[], pixels: ArrayLike<number>): number[] {
  let sum = 0
  let count = 0
  for (let c = 0; c < raw.length; c++) {
    if (pixels[c] > 0) {
      sum += raw[c]
      count++
    }
  }
  if (count === 0 || sum === 0) return raw.map(() => 0)
  const scale = count / sum
  return raw.map((w) => w * scale)
}

function missingClasses(pixels: ArrayLike<number>): number[] {
  const out: number[] = []
  for (let c = 0; c < pixels.length; c++) if (!(pixels[c] > 0)) out.push(c)
  return out
}

function sameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) {
    throw new AppError('INVALID_INPUT', `class weights: per-class arrays differ in length (${a.length} vs ${b.length})`)
  }
}
