/**
 * The image layer of a large image, drawn from display tiles instead of one decoded rendition: after
 * every zoom, pan or resize it picks the tile level matching the zoom, asks for the visible tiles of that
 * level (nearest the centre first, a few at a time, dropping those that scrolled away) and draws what it
 * holds, with coarser tiles, down to the one-tile overview, under tiles still loading. Decoded tiles live
 * in a byte-bounded LRU; the overview is kept apart so the whole image can always be shown at once.
 * One Konva shape draws them in image coordinates, so the stage's zoom and pan apply as to a plain image.
 */
import Konva from 'konva'
import { tileGrid } from '../../core/contract'
import { ByteLru } from './byte-lru'
import { drawPlan, levelForScale, tileId, visibleTiles, type TileKey } from './tile-math'
import { TileScheduler } from './tile-scheduler'
import type { View } from './viewport'

/** Decoded tiles kept (1 MB per full 512² tile): about ten 1:1 screens of a 1,400 × 900 view. */
export const TILE_CACHE_BYTES = 160 * 1024 * 1024

/** Tile requests in flight at once. */
export const MAX_TILE_REQUESTS = 3

/** A decoded tile and the region [left, top, width, height] of the full-resolution image it covers. */
export interface LoadedTile {
  image: ImageBitmap | HTMLCanvasElement
  source: readonly [number, number, number, number]
}

/** Where a tiled image's pixels come from: its size and a loader of decoded tiles. */
export interface TileSource {
  readonly width: number
  readonly height: number
  load(tile: TileKey): Promise<LoadedTile>
}

/** What the layer shows and has done, for the stage's data attributes and the view. */
export interface TiledStats {
  /** Tile level of the current zoom. */
  level: number
  /** Tiles of that level on screen, and how many of them are drawn. */
  visible: number
  drawn: number
  /** Requests started since the image was shown. */
  requested: number
  /** The last failure's message, or null. */
  error: string | null
}

function free(tile: LoadedTile): void {
  if ('close' in tile.image) tile.image.close()
}

/** See the module comment. Add {@link node} to a layer, call {@link update} on every view change. */
export class TiledImage {
  readonly node: Konva.Shape
  private readonly levels: number
  private readonly overviewId: string
  private overview: LoadedTile | null = null
  private readonly cache: ByteLru<LoadedTile>
  private readonly scheduler: TileScheduler<LoadedTile>
  private plan: LoadedTile[] = []
  private planIds = new Set<string>()
  private last: { view: View; width: number; height: number; ratio: number } | null = null
  private stats: TiledStats = { level: 0, visible: 0, drawn: 0, requested: 0, error: null }

  constructor(
    readonly source: TileSource,
    private readonly onStats: (stats: TiledStats) => void,
  ) {
    this.levels = tileGrid(source.width, source.height).levels
    this.overviewId = tileId({ level: this.levels - 1, x: 0, y: 0 })
    this.cache = new ByteLru<LoadedTile>({
      maxBytes: TILE_CACHE_BYTES,
      sizeOf: (t) => t.image.width * t.image.height * 4,
      onEvict: (id, t) => {
        if (!this.planIds.has(id)) free(t)
      },
    })
    this.scheduler = new TileScheduler<LoadedTile>({
      maxInFlight: MAX_TILE_REQUESTS,
      load: (t) => source.load(t),
      onLoad: (t, value) => this.arrived(t, value),
      onError: (t, err) => {
        this.stats.error = `Tile ${tileId(t)} of the ${source.width}×${source.height} image could not be loaded: ${err instanceof Error ? err.message : String(err)}`
        this.onStats({ ...this.stats })
      },
      onDiscard: free,
    })
    this.node = new Konva.Shape({
      listening: false,
      perfectDrawEnabled: false,
      sceneFunc: (ctx) => {
        for (const t of this.plan) {
          const [x, y, w, h] = t.source
          ctx.drawImage(t.image, x, y, w, h)
        }
      },
    })
  }

  /** Follows a view of `width` × `height` CSS pixels at `ratio` device pixels per CSS pixel. */
  update(view: View, width: number, height: number, ratio: number): void {
    this.last = { view: { ...view }, width, height, ratio }
    this.refresh()
  }

  /** Stops loading and frees every decoded tile. */
  destroy(): void {
    this.scheduler.dispose()
    this.plan = []
    this.planIds.clear()
    this.cache.clear()
    if (this.overview) free(this.overview)
    this.overview = null
    this.node.destroy()
  }

  private held(id: string): LoadedTile | undefined {
    return id === this.overviewId ? (this.overview ?? undefined) : this.cache.get(id)
  }

  private refresh(): void {
    const last = this.last
    if (!last) return
    const { width: w, height: h } = this.source
    const level = levelForScale(last.view.scale, this.levels, last.ratio)
    const visible = visibleTiles(last.view, last.width, last.height, w, h, level)
    const planKeys = drawPlan(visible, this.levels, (id) => (id === this.overviewId ? this.overview !== null : this.cache.has(id)))
    this.planIds = new Set(planKeys.map(tileId))
    this.plan = planKeys.map((k) => this.held(tileId(k))).filter((t): t is LoadedTile => t !== undefined)
    const missing = visible.filter((t) => !this.planIds.has(tileId(t)))
    this.scheduler.want(this.overview ? missing : [{ level: this.levels - 1, x: 0, y: 0 }, ...missing])
    this.stats = {
      ...this.stats,
      level,
      visible: visible.length,
      drawn: visible.length - missing.length,
      requested: this.scheduler.requested,
    }
    this.node.getLayer()?.batchDraw()
    this.onStats({ ...this.stats })
  }

  private arrived(t: TileKey, value: LoadedTile): void {
    const id = tileId(t)
    if (id === this.overviewId) {
      if (this.overview) free(this.overview)
      this.overview = value
    } else {
      this.cache.set(id, value)
    }
    this.refresh()
  }
}
