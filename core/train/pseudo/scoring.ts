/**
 * Review scores of pseudo-labels: which predicted images a reviewer should look at first. Two parts,
 * each in 0..1, averaged:
 * - uncertainty U = mean over pixels of r(ŷ_p) · H_p / ln C, the predictive entropy (normalised by its
 *   maximum ln C) weighted by the rarity r of the predicted class, so doubt about a rare class counts
 *   fully and doubt about the dominant class little;
 * - rare content R = Σ_c r(c) · s_c, where s_c is the share of pixels predicted as c: an image the model
 *   thinks holds much of a rare class is worth a look even when the model is sure.
 * Rarity r(c) = sqrt(w_c / max w) with w the inverse-frequency weights of the project's current labels
 * (core/balance); the square root softens a 100:1 imbalance to 10:1 so common classes still count. A
 * class with no labeled pixel yet is treated as the rarest (r = 1).
 */
import { inverseFrequencyWeights } from '../../balance'

/** Rarity of each class in 0..1 from labeled pixel counts; all 1 when nothing is labeled. */
export function rarityWeights(pixels: readonly number[]): number[] {
  if (pixels.every((p) => p <= 0)) return pixels.map(() => 1)
  const { weights } = inverseFrequencyWeights(pixels)
  const max = Math.max(...weights)
  return pixels.map((p, c) => (p > 0 && max > 0 ? Math.sqrt(weights[c] / max) : 1))
}

/** Per-pixel arg-max class, its probability (confidence) and the predictive entropy of the probabilities. */
export interface PixelSummary {
  mask: Uint8Array
  confidence: Float32Array
  /** Shannon entropy in nats, 0..ln C. */
  entropy: Float32Array
}

/** Summarises per-pixel class probabilities (HWC, `numClasses` per pixel). */
export function summarisePixels(probs: Float32Array, numClasses: number): PixelSummary {
  const n = Math.floor(probs.length / numClasses)
  const mask = new Uint8Array(n)
  const confidence = new Float32Array(n)
  const entropy = new Float32Array(n)
  for (let p = 0; p < n; p++) {
    let best = 0
    let bestP = -1
    let h = 0
    for (let c = 0; c < numClasses; c++) {
      const v = probs[p * numClasses + c]
      if (v > bestP) {
        bestP = v
        best = c
      }
      if (v > 0) h -= v * Math.log(v)
    }
    mask[p] = best
    confidence[p] = bestP
    entropy[p] = h
  }
  return { mask, confidence, entropy }
}

/** U: rarity-weighted mean entropy, normalised by ln C (0 for one class). */
export function weightedUncertainty(mask: Uint8Array, entropy: Float32Array, rarity: readonly number[]): number {
  const classes = rarity.length
  if (classes < 2 || mask.length === 0) return 0
  const norm = Math.log(classes)
  let sum = 0
  for (let p = 0; p < mask.length; p++) sum += (rarity[mask[p]] ?? 1) * entropy[p]
  return Math.min(1, sum / (mask.length * norm))
}

/** R: rarity-weighted predicted class shares (pixels per class before thresholding). */
export function rareContent(classPixels: readonly number[], rarity: readonly number[]): number {
  const total = classPixels.reduce((a, b) => a + b, 0)
  if (total <= 0) return 0
  let r = 0
  classPixels.forEach((px, c) => {
    r += (rarity[c] ?? 1) * (px / total)
  })
  return Math.min(1, r)
}

/** The review score: the mean of uncertainty and rare content (0..1; higher = review first). */
export function reviewScore(uncertainty: number, rare: number): number {
  return 0.5 * uncertainty + 0.5 * rare
}

/** Pixels per class of a mask (255 and unknown indices left out). */
export function countClasses(mask: Uint8Array, numClasses: number): number[] {
  const out = new Array<number>(numClasses).fill(0)
  for (let p = 0; p < mask.length; p++) if (mask[p] < numClasses) out[mask[p]]++
  return out
}
