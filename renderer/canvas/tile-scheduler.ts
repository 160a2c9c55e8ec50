/**
 * Tile requests of a tiled image: a priority queue that the view replaces on every pan and zoom (tiles
 * no longer visible are dropped before they are asked for) and at most a few requests in flight, so a
 * fast pan across a huge image never piles up hundreds of calls. Free of the DOM: `load` is injected.
 */
import { tileId, type TileKey } from './tile-math'

export interface TileSchedulerOptions<T> {
  /** Requests running at once. */
  maxInFlight: number
  load: (tile: TileKey) => Promise<T>
  /** A tile arrived (also when it is no longer wanted: it is worth caching). */
  onLoad: (tile: TileKey, value: T) => void
  /** A tile failed; it is not asked for again by this scheduler. */
  onError?: (tile: TileKey, err: unknown) => void
  /** A tile arrived after {@link TileScheduler.dispose}: free it. */
  onDiscard?: (value: T) => void
}

/** See the module comment. */
export class TileScheduler<T> {
  private queue: TileKey[] = []
  private readonly inFlight = new Set<string>()
  private readonly failed = new Set<string>()
  private disposed = false
  private started = 0

  constructor(private readonly options: TileSchedulerOptions<T>) {}

  /**
   * Makes `tiles` (highest priority first; the caller leaves out tiles it already holds) the whole
   * queue: queued tiles not listed are dropped, tiles in flight finish, failed tiles are skipped.
   */
  want(tiles: readonly TileKey[]): void {
    if (this.disposed) return
    const seen = new Set<string>()
    this.queue = tiles.filter((t) => {
      const id = tileId(t)
      if (seen.has(id) || this.inFlight.has(id) || this.failed.has(id)) return false
      seen.add(id)
      return true
    })
    this.pump()
  }

  /** Tiles waiting to be requested. */
  get queued(): number {
    return this.queue.length
  }

  /** Requests running now. */
  get running(): number {
    return this.inFlight.size
  }

  /** Requests started so far. */
  get requested(): number {
    return this.started
  }

  /** Stops asking; results still in flight go to `onDiscard`. */
  dispose(): void {
    this.disposed = true
    this.queue = []
  }

  private pump(): void {
    while (!this.disposed && this.inFlight.size < this.options.maxInFlight && this.queue.length > 0) {
      const tile = this.queue.shift() as TileKey
      const id = tileId(tile)
      this.inFlight.add(id)
      this.started++
      this.options.load(tile).then(
        (value) => {
          this.inFlight.delete(id)
          if (this.disposed) this.options.onDiscard?.(value)
          else this.options.onLoad(tile, value)
          this.pump()
        },
        (err: unknown) => {
          this.inFlight.delete(id)
          this.failed.add(id)
          if (!this.disposed) this.options.onError?.(tile, err)
          this.pump()
        },
      )
    }
  }
}
