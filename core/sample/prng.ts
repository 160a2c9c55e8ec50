/**
 * A small seeded random number generator (mulberry32) so the sample project is the same on every
 * machine and every run: tests and later training issues depend on that.
 */
import { Mulberry32 } from '../random/mulberry32'

/** Uniform random numbers in [0, 1) and helpers, all drawn from one 32-bit seed. */
export class Rng extends Mulberry32 {
  /** Uniform number in [low, high). */
  range(low: number, high: number): number {
    return low + (high - low) * this.next()
  }

  /** Uniform integer in [low, high] (both included). */
  int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1))
  }

  /** One element of `items`, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p
  }
}
