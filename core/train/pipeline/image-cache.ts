/**
 * Decodes and normalises each image once: an LRU cache of LabeledImages bounded by a memory budget in
 * bytes. Concurrent requests for the same key share one load, and an image larger than the whole budget
 * is returned without being kept (so one huge image never evicts everything for nothing).
 */
import type { LabeledImage } from './types'

/** Bytes an image holds in memory (float pixels + 8-bit mask). */
export function imageBytes(img: LabeledImage): number {
  return img.data.byteLength + img.labels.byteLength
}

/** Counters for tests and progress messages. */
export interface CacheStats {
  hits: number
  misses: number
  evictions: number
  bytes: number
  entries: number
}

/** LRU cache of decoded, normalised images keyed by image id (or any key). */
export class ImageCache<K = number> {
  private readonly entries = new Map<K, LabeledImage>()
  private readonly pending = new Map<K, Promise<LabeledImage>>()
  private used = 0
  private counters = { hits: 0, misses: 0, evictions: 0 }

  constructor(
    private readonly budgetBytes: number,
    private readonly load: (key: K) => Promise<LabeledImage>,
  ) {}

  /** The image of `key`, loading it on a miss; the most recently used images stay. */
  async get(key: K): Promise<LabeledImage> {
    const hit = this.entries.get(key)
    if (hit) {
      this.counters.hits++
      this.entries.delete(key)
      this.entries.set(key, hit)
      return hit
    }
    const inflight = this.pending.get(key)
    if (inflight) {
      this.counters.hits++
      return inflight
    }
    this.counters.misses++
    const promise = this.load(key)
      .then((img) => {
        this.insert(key, img)
        return img
      })
      .finally(() => this.pending.delete(key))
    this.pending.set(key, promise)
    return promise
  }

  /** True when `key` is held (without touching its recency). */
  has(key: K): boolean {
    return this.entries.has(key)
  }

  stats(): CacheStats {
    return { ...this.counters, bytes: this.used, entries: this.entries.size }
  }

  private insert(key: K, img: LabeledImage): void {
    const size = imageBytes(img)
    if (size > this.budgetBytes) return
    while (this.used + size > this.budgetBytes) {
      const oldest = this.entries.keys().next()
      if (oldest.done) break
      this.used -= imageBytes(this.entries.get(oldest.value) as LabeledImage)
      this.entries.delete(oldest.value)
      this.counters.evictions++
    }
    this.entries.set(key, img)
    this.used += size
  }
}
