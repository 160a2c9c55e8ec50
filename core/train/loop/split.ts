/**
 * The validation split is by image, never by tile, so no validation pixel was seen in training. Seeded,
 * so a resumed or repeated run validates on the same images.
 */
import { Rng } from './rng'

/** Image ids for training and validation. `shared` is true when one image had to serve as both. */
export interface Split {
  train: number[]
  validation: number[]
  shared: boolean
}

/**
 * Splits `ids` with `fraction` of them (rounded, at least one when fraction > 0) held out for
 * validation; training always keeps at least one. With a single image it is used for both.
 */
export function splitByImage(ids: readonly number[], fraction: number, seed: number): Split {
  const sorted = [...ids].sort((a, b) => a - b)
  if (sorted.length <= 1 || fraction <= 0) return { train: sorted, validation: fraction > 0 ? sorted : [], shared: fraction > 0 }
  const shuffled = new Rng(seed).shuffle(sorted)
  const count = Math.min(sorted.length - 1, Math.max(1, Math.round(sorted.length * fraction)))
  const validation = shuffled.slice(0, count).sort((a, b) => a - b)
  const train = shuffled.slice(count).sort((a, b) => a - b)
  return { train, validation, shared: false }
}
