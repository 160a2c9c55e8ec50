/**
 * A small seeded random number generator (mulberry32) so the sample project is the same on every
 * machine and every run: tests and later training issues depend on that.
 */

/** Uniform random numbers in [0, 1) and helpers, all drawn from one 32-bit seed. */
export class Rng {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** Next uniform number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

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
