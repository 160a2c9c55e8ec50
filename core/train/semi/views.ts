/**
 * Strong views of weak unlabeled tiles (FixMatch's "strong augmentation", UniMatch's image-level
 * perturbation): colour jitter (brightness, contrast, gamma), Gaussian noise and blur on the pixels only,
 * so the teacher's targets for the weak tile still line up pixel for pixel; then CutMix between the
 * tiles of a batch, which moves a box of pixels together with its targets.
 */
import { blur, blurKernel, brightness, contrast, gamma, gaussianNoise } from '../pipeline/photometric'
import { randInt, randRange, type LabeledImage, type Random } from '../pipeline/types'

/** A tile with its pseudo-targets (255 = no target). */
export interface TargetTile {
  size: number
  channels: number
  pixels: Float32Array
  targets: Uint8Array
}

/** Stronger than the `strong` augment preset's photometric steps: the student must not rely on colour. */
export const STRONG = {
  brightness: { p: 0.8, max: 0.4 },
  contrast: { p: 0.8, max: 0.4 },
  gamma: { p: 0.5, max: 1.8 },
  noise: { p: 0.5, max: 0.2 },
  blur: { p: 0.5, maxSigma: 1.5 },
  /** Probability that a tile gets a box of another tile of the batch. */
  cutmix: 0.5,
} as const

/** A strongly perturbed copy of a weak view's pixels (the input is not changed). */
export function strongPixels(weak: LabeledImage, rng: Random): Float32Array {
  const t: LabeledImage = { ...weak, data: weak.data.slice() }
  const s = STRONG
  if (rng.next() < s.brightness.p) brightness(t, randRange(rng, -s.brightness.max, s.brightness.max))
  if (rng.next() < s.contrast.p) contrast(t, randRange(rng, 1 - s.contrast.max, 1 + s.contrast.max))
  if (rng.next() < s.gamma.p) gamma(t, Math.exp(randRange(rng, -Math.log(s.gamma.max), Math.log(s.gamma.max))))
  if (rng.next() < s.noise.p) gaussianNoise(t, randRange(rng, 0, s.noise.max), rng)
  if (rng.next() < s.blur.p) blur(t, blurKernel(0, randRange(rng, 0.5, s.blur.maxSigma)))
  return t.data
}

/** A box covering a uniform share in [0.25, 0.5] of a `size`² tile at a random place. */
export function cutBox(size: number, rng: Random): { x: number; y: number; w: number; h: number } {
  const share = randRange(rng, 0.25, 0.5)
  const side = Math.max(1, Math.round(size * Math.sqrt(share)))
  const w = Math.min(size, side)
  const h = Math.min(size, side)
  return { x: randInt(rng, size - w + 1), y: randInt(rng, size - h + 1), w, h }
}

/** Pastes `box` of `from` (pixels and targets) into `into`, in place. */
export function pasteBox(into: TargetTile, from: TargetTile, box: { x: number; y: number; w: number; h: number }): void {
  const { size, channels: c } = into
  for (let y = box.y; y < box.y + box.h; y++) {
    for (let x = box.x; x < box.x + box.w; x++) {
      const p = y * size + x
      into.targets[p] = from.targets[p]
      for (let k = 0; k < c; k++) into.pixels[p * c + k] = from.pixels[p * c + k]
    }
  }
}

/**
 * CutMix over a batch of strong tiles: each tile, with probability STRONG.cutmix, gets a box of the next
 * tile of the batch (taken from the tiles as they were before any paste). Needs two tiles or more.
 */
export function cutMix(tiles: readonly TargetTile[], rng: Random): number {
  if (tiles.length < 2) return 0
  const before = tiles.map((t) => ({ ...t, pixels: t.pixels.slice(), targets: t.targets.slice() }))
  let mixed = 0
  tiles.forEach((t, i) => {
    if (rng.next() >= STRONG.cutmix) return
    pasteBox(t, before[(i + 1) % tiles.length], cutBox(t.size, rng))
    mixed++
  })
  return mixed
}
