/**
 * A least-recently-used map bounded by bytes rather than entries, for decoded display tiles (a 512² tile
 * is 1 MB decoded, an edge tile less). Evicted values go to `onEvict` so their owner can free them
 * (ImageBitmap.close); a Map iterates in insertion order, so the first key is the least recently used.
 */

export interface ByteLruOptions<V> {
  /** Most bytes kept; the entry just added always stays, even when alone it is larger. */
  maxBytes: number
  sizeOf: (value: V) => number
  onEvict?: (key: string, value: V) => void
}

/** See the module comment. */
export class ByteLru<V> {
  private readonly entries = new Map<string, { value: V; size: number }>()
  private used = 0

  constructor(private readonly options: ByteLruOptions<V>) {}

  /** The value for `key`, marking it most recently used. */
  get(key: string): V | undefined {
    const e = this.entries.get(key)
    if (!e) return undefined
    this.entries.delete(key)
    this.entries.set(key, e)
    return e.value
  }

  /** True when `key` is held (does not change its recency). */
  has(key: string): boolean {
    return this.entries.has(key)
  }

  /** Adds or replaces `key` as most recently used, then evicts the oldest entries past the byte limit. */
  set(key: string, value: V): void {
    const old = this.entries.get(key)
    if (old) {
      this.entries.delete(key)
      this.used -= old.size
      if (old.value !== value) this.options.onEvict?.(key, old.value)
    }
    const size = this.options.sizeOf(value)
    this.entries.set(key, { value, size })
    this.used += size
    for (const [k, e] of this.entries) {
      if (this.used <= this.options.maxBytes || k === key) break
      this.entries.delete(k)
      this.used -= e.size
      this.options.onEvict?.(k, e.value)
    }
  }

  /** Drops every entry through `onEvict`. */
  clear(): void {
    const all = [...this.entries]
    this.entries.clear()
    this.used = 0
    for (const [k, e] of all) this.options.onEvict?.(k, e.value)
  }

  /** Bytes held. */
  get bytes(): number {
    return this.used
  }

  /** Entries held. */
  get size(): number {
    return this.entries.size
  }
}
