/**
 * Cheap image features for diversity: an 8-bin histogram per colour channel of a small RGB rendition
 * (the thumbnail, or its crop for a region), and, when known, the class shares the model predicts or the
 * labels hold. Distance is the total variation ½ Σ |a − b| of the histograms (0 same, 1 disjoint),
 * averaged with that of the class shares when both sides have them; similarity exp(−(d/σ)²) is ≈ 1 for
 * near-duplicates and ≈ 0 for clearly different scenes.
 */
import type { Rect } from './regions'

export interface Feature {
  /** 3 × BINS values, each channel's bins summing to 1/3. */
  colour: Float32Array
  /** Class shares summing to 1, or null when unknown. */
  classes: number[] | null
}

export const BINS = 8
/** Distance at which similarity has fallen to 1/e. */
export const SIGMA = 0.15

/**
 * Colour histogram of interleaved 8-bit pixels (`channels` ≥ 1; grey counts as all three), limited to
 * `rect` given in 0..1 fractions of the image when set.
 */
export function colourHistogram(data: Uint8Array, width: number, height: number, channels: number, rect?: Rect & { of: { width: number; height: number } }): Float32Array {
  const h = new Float32Array(3 * BINS)
  const x0 = rect ? Math.floor((rect.x / rect.of.width) * width) : 0
  const y0 = rect ? Math.floor((rect.y / rect.of.height) * height) : 0
  const x1 = rect ? Math.max(x0 + 1, Math.ceil(((rect.x + rect.width) / rect.of.width) * width)) : width
  const y1 = rect ? Math.max(y0 + 1, Math.ceil(((rect.y + rect.height) / rect.of.height) * height)) : height
  let n = 0
  for (let y = y0; y < Math.min(y1, height); y++) {
    for (let x = x0; x < Math.min(x1, width); x++) {
      const at = (y * width + x) * channels
      for (let k = 0; k < 3; k++) h[k * BINS + ((data[at + Math.min(k, channels - 1)] * BINS) >> 8)]++
      n++
    }
  }
  if (n > 0) for (let i = 0; i < h.length; i++) h[i] /= 3 * n
  return h
}

/** Class shares of per-class pixel counts, or null when there are none. */
export function classShares(pixels: readonly number[]): number[] | null {
  const total = pixels.reduce((a, b) => a + b, 0)
  return total > 0 ? pixels.map((p) => p / total) : null
}

function tv(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0
  for (let i = 0; i < a.length; i++) d += Math.abs(a[i] - (b[i] ?? 0))
  return d / 2
}

/**
 * Distance 0..1 between two features. Each colour vector sums to 1 over its three channels, so its
 * total variation is already the mean of the three channels' own (0..1 each).
 */
export function distance(a: Feature, b: Feature): number {
  const colour = tv(a.colour, b.colour)
  if (!a.classes || !b.classes) return colour
  return 0.5 * colour + 0.5 * tv(a.classes, b.classes)
}

/** Similarity 0..1 (1 = the same). */
export function similarity(a: Feature, b: Feature): number {
  const d = distance(a, b) / SIGMA
  return Math.exp(-d * d)
}
