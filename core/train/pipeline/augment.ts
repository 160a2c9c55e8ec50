/**
 * Augmentation presets (TrainConfig `augment`: none / light / strong) and the function that applies one
 * to a tile: geometric steps first (identical for pixels and mask), then photometric ones (pixels only).
 * Every random choice comes from the Random passed in, so a seeded run augments the same way again.
 */
import { flipHorizontal, flipVertical, rotate90, scale } from './geometric'
import { blur, blurKernel, brightness, contrast, gamma, gaussianNoise } from './photometric'
import { randInt, randRange, type LabeledImage, type Random } from './types'

/** What one preset does: each step's probability and range. */
export interface AugmentSpec {
  flip: number
  rotate90: number
  /** Probability and zoom range (log-uniform between min and max). */
  scale: { p: number; min: number; max: number }
  /** Offset in standard deviations, uniform in ±max. */
  brightness: { p: number; max: number }
  /** Factor uniform in [1 − max, 1 + max]. */
  contrast: { p: number; max: number }
  /** Exponent log-uniform in [1 / max, max]. */
  gamma: { p: number; max: number }
  /** Noise σ uniform in [0, max] standard deviations. */
  noise: { p: number; max: number }
  /** Gaussian blur with σ uniform in [0.5, maxSigma], or a 3×3 box half of the time. */
  blur: { p: number; maxSigma: number }
}

export type AugmentLevel = 'none' | 'light' | 'strong'

const OFF = { p: 0, max: 0 }

/** The three presets. Light: flips, rotations, mild brightness and contrast. Strong: everything. */
export const AUGMENT_PRESETS: Readonly<Record<AugmentLevel, AugmentSpec>> = {
  none: { flip: 0, rotate90: 0, scale: { p: 0, min: 1, max: 1 }, brightness: OFF, contrast: OFF, gamma: OFF, noise: OFF, blur: { p: 0, maxSigma: 0 } },
  light: {
    flip: 0.5, rotate90: 0.5, scale: { p: 0, min: 1, max: 1 },
    brightness: { p: 0.5, max: 0.1 }, contrast: { p: 0.5, max: 0.1 }, gamma: OFF, noise: OFF, blur: { p: 0, maxSigma: 0 },
  },
  strong: {
    flip: 0.5, rotate90: 0.75, scale: { p: 0.5, min: 0.75, max: 1.33 },
    brightness: { p: 0.6, max: 0.25 }, contrast: { p: 0.6, max: 0.25 }, gamma: { p: 0.3, max: 1.5 },
    noise: { p: 0.3, max: 0.1 }, blur: { p: 0.2, maxSigma: 1.2 },
  },
}

/** Applies `spec` to `tile`, returning the augmented tile; the input is never changed. Square tiles stay square. */
export function augmentTile(tile: LabeledImage, spec: AugmentSpec, rng: Random): LabeledImage {
  let t = tile
  if (spec.flip > 0 && rng.next() < spec.flip) t = flipHorizontal(t)
  if (spec.flip > 0 && rng.next() < spec.flip) t = flipVertical(t)
  if (spec.rotate90 > 0 && rng.next() < spec.rotate90) t = rotate90(t, 1 + randInt(rng, 3))
  if (spec.scale.p > 0 && rng.next() < spec.scale.p) {
    t = scale(t, Math.exp(randRange(rng, Math.log(spec.scale.min), Math.log(spec.scale.max))))
  }
  if (t === tile && hasPhotometric(spec)) t = { ...tile, data: tile.data.slice() }
  if (rng.next() < spec.brightness.p) brightness(t, randRange(rng, -spec.brightness.max, spec.brightness.max))
  if (rng.next() < spec.contrast.p) contrast(t, randRange(rng, 1 - spec.contrast.max, 1 + spec.contrast.max))
  if (rng.next() < spec.gamma.p) gamma(t, Math.exp(randRange(rng, -Math.log(spec.gamma.max), Math.log(spec.gamma.max))))
  if (rng.next() < spec.noise.p) gaussianNoise(t, randRange(rng, 0, spec.noise.max), rng)
  if (rng.next() < spec.blur.p) blur(t, rng.next() < 0.5 ? blurKernel(1) : blurKernel(0, randRange(rng, 0.5, spec.blur.maxSigma)))
  return t
}

function hasPhotometric(spec: AugmentSpec): boolean {
  return spec.brightness.p > 0 || spec.contrast.p > 0 || spec.gamma.p > 0 || spec.noise.p > 0 || spec.blur.p > 0
}
