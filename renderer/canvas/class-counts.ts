/**
 * Live per-class pixel counts of the open mask. Counted once when a mask loads, then updated from the
 * pixels each edit changes (and from patches on undo/redo), so the palette's numbers stay current at
 * a cost proportional to the edit.
 */
import { UNLABELED } from '../../core/contract'

/** Pixel count for each of the 256 mask values (255 = unlabeled). */
export class ClassCounts {
  readonly counts = new Float64Array(256)

  /** Counts every pixel of a mask. */
  static fromMask(data: Uint8Array): ClassCounts {
    const c = new ClassCounts()
    c.recount(data)
    return c
  }

  /** Throws the counts away and counts every pixel again. */
  recount(data: Uint8Array): void {
    this.counts.fill(0)
    this.add(data)
  }

  /** Records that `n` pixels changed from value `from` to value `to`. */
  move(from: number, to: number, n = 1): void {
    this.counts[from] -= n
    this.counts[to] += n
  }

  /** Replaces bytes `from` by bytes `to` (same length), as undo/redo of a patch tile does. */
  replace(from: Uint8Array, to: Uint8Array): void {
    for (let i = 0; i < from.length; i++) {
      if (from[i] !== to[i]) {
        this.counts[from[i]]--
        this.counts[to[i]]++
      }
    }
  }

  /** Pixels with class `index`. */
  get(index: number): number {
    return this.counts[index]
  }

  /** Pixels that carry any class. */
  labeled(): number {
    let n = 0
    for (let i = 0; i < UNLABELED; i++) n += this.counts[i]
    return n
  }

  /** Counts of classes 0..length-1, as plain numbers (the shape of the contract's `classPixels`). */
  toArray(length: number): number[] {
    return Array.from(this.counts.subarray(0, Math.min(length, UNLABELED)))
  }

  private add(data: Uint8Array): void {
    for (let i = 0; i < data.length; i++) this.counts[data[i]]++
  }
}
