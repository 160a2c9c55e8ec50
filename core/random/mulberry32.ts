/**
 * The one seeded generator of the project (mulberry32: fast, 32-bit state, spread good enough for
 * sampling, shuffling and procedural images). The sample generator and the training loop add their own
 * helpers on top, so a seed means the same stream everywhere.
 */
export class Mulberry32 {
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
}
