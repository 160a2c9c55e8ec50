/**
 * Scribble masks: a few brush strokes per class inside that class's true region, the rest unlabeled
 * (255). They imitate a user who marks examples quickly instead of painting every pixel.
 */
import { UNLABELED } from '../contract'
import type { Rng } from './prng'

/** Paints a disc of `radius` at (cx, cy), only on pixels whose true class is `cls`. */
function dab(mask: Uint8Array, truth: Uint8Array, size: number, cx: number, cy: number, radius: number, cls: number): void {
  const r = Math.ceil(radius)
  for (let y = Math.round(cy) - r; y <= Math.round(cy) + r; y++) {
    for (let x = Math.round(cx) - r; x <= Math.round(cx) + r; x++) {
      if (x < 0 || y < 0 || x >= size || y >= size) continue
      if ((x - cx) ** 2 + (y - cy) ** 2 > radius * radius) continue
      const i = y * size + x
      if (truth[i] === cls) mask[i] = cls
    }
  }
}

/**
 * A mask of strokes over `truth` (one class index per pixel of a size×size tile): `strokes` random walks
 * per class present, each starting on that class and ending when it leaves it.
 */
export function scribbleMask(truth: Uint8Array, size: number, numClasses: number, rng: Rng, strokes = 3): Uint8Array {
  const mask = new Uint8Array(truth.length).fill(UNLABELED)
  for (let cls = 0; cls < numClasses; cls++) {
    const where: number[] = []
    for (let i = 0; i < truth.length; i++) if (truth[i] === cls) where.push(i)
    if (where.length === 0) continue
    const small = where.length < 400
    for (let s = 0; s < strokes; s++) {
      const start = rng.pick(where)
      let x = start % size
      let y = Math.floor(start / size)
      let angle = rng.range(0, Math.PI * 2)
      const steps = small ? 1 : rng.int(15, 45)
      const radius = small ? 1.2 : rng.range(1.5, 3)
      for (let k = 0; k < steps; k++) {
        const xi = Math.round(x)
        const yi = Math.round(y)
        if (xi < 0 || yi < 0 || xi >= size || yi >= size || truth[yi * size + xi] !== cls) break
        dab(mask, truth, size, x, y, radius, cls)
        angle += rng.range(-0.3, 0.3)
        x += Math.cos(angle)
        y += Math.sin(angle)
      }
    }
  }
  return mask
}
