/**
 * Seeded randomness for the training loop, so `seed` makes a run reproducible on one backend: a small
 * PRNG (mulberry32) for tile positions, flips and the validation split, and a scoped replacement of
 * Math.random for the randomness tfjs draws without a seed (dropout masks), which tfjs offers no
 * global seed for.
 */
import { Mulberry32 } from '../../random/mulberry32'

/** mulberry32: a fast 32-bit generator with a good enough spread for sampling and shuffling. */
export class Rng extends Mulberry32 {
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** Fisher–Yates shuffle of a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items]
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const tmp = out[i]
      out[i] = out[j]
      out[j] = tmp
    }
    return out
  }
}

/** Mixes a seed and a stream number (e.g. the epoch) into an independent seed. */
export function mixSeed(seed: number, stream: number): number {
  let h = Math.imul((seed ^ 0x9e3779b9) >>> 0, 0x85ebca6b) >>> 0
  h = Math.imul(h ^ (stream + 0x632be5ab), 0xc2b2ae35) >>> 0
  return (h ^ (h >>> 16)) >>> 0
}

/** A seeded stand-in for Math.random, installed until `restore()`. */
export interface SeededMathRandom {
  /** Restarts the generator from a new seed (e.g. at each epoch, so a resumed run draws the same). */
  reseed(seed: number): void
  restore(): void
}

/**
 * Replaces Math.random with a seeded generator until `restore()`. tfjs seeds its unseeded random ops
 * (dropout masks) from Math.random, so this makes them repeatable. The training loop holds it only
 * while it runs; the trainer process runs one job at a time.
 */
export function seedMathRandom(seed: number): SeededMathRandom {
  const original = Math.random
  let rng = new Rng(seed)
  Math.random = () => rng.next()
  return {
    reseed(next) {
      rng = new Rng(next)
    },
    restore() {
      Math.random = original
    },
  }
}
