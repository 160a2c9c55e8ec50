/**
 * The plain data the rare-class pipeline works on: normalised HWC float images with an 8-bit class mask
 * (255 = ignored by every loss) and a seeded random source. No tfjs here; the loop turns the final batch
 * into tensors.
 */
import { UNLABELED } from '../../contract'

/** The mask value every loss ignores (padding, unlabeled pixels). */
export const IGNORE = UNLABELED

/** A normalised image with its mask: `data` is HWC float32 (0 = the channel mean), `labels` row-major. */
export interface LabeledImage {
  width: number
  height: number
  channels: number
  data: Float32Array
  labels: Uint8Array
}

/** A uniform random source in [0, 1); `Rng` of core/train/loop satisfies it. */
export interface Random {
  next(): number
}

/** Integer in [0, n). */
export function randInt(rng: Random, n: number): number {
  return Math.min(n - 1, Math.floor(rng.next() * n))
}

/** Uniform in [lo, hi). */
export function randRange(rng: Random, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.next()
}

/** Standard normal draw (Box–Muller). */
export function randNormal(rng: Random): number {
  const u = Math.max(rng.next(), 1e-12)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next())
}

/** A blank labeled image: pixels 0 (the mean), labels 255. */
export function blankImage(width: number, height: number, channels: number): LabeledImage {
  return { width, height, channels, data: new Float32Array(width * height * channels), labels: new Uint8Array(width * height).fill(IGNORE) }
}
