/**
 * Which display tiles a large image needs on screen, kept pure so it is tested without a DOM: whether an
 * image is tiled at all, the tile level that matches a zoom, and the tiles of that level covering the
 * viewport, nearest the centre first (so the middle of the screen fills in first).
 */
import { TILE_SIZE, tileGrid } from '../../core/contract'
import type { Rect } from './rect'
import type { View } from './viewport'

/**
 * Images with a side of at least this many pixels are shown through display tiles instead of one decoded
 * display rendition (an 8,000² RGBA decode alone is 256 MB of renderer memory).
 */
export const TILED_MIN_SIDE = 8000

/** How the editor chooses: by size, or forced either way (tests, troubleshooting). */
export type TilingMode = 'auto' | 'always' | 'never'

/** True when an image of this size is shown through tiles under `mode`. */
export function shouldTile(width: number, height: number, mode: TilingMode = 'auto'): boolean {
  if (mode === 'always') return true
  if (mode === 'never') return false
  return Math.max(width, height) >= TILED_MIN_SIDE
}

/** One tile of one level. */
export interface TileKey {
  level: number
  x: number
  y: number
}

/** A stable string key of a tile ("level/x/y"). */
export function tileId(t: TileKey): string {
  return `${t.level}/${t.x}/${t.y}`
}

/**
 * The tile level for a zoom: the coarsest level z with 2^z ≤ 1 / (scale · ratio), so each screen device
 * pixel gets at least one tile pixel; clamped to the image's levels (0 when zoomed in past 1:1).
 */
export function levelForScale(scale: number, levels: number, ratio = 1): number {
  const k = scale * ratio
  if (!(k > 0) || k >= 1) return 0
  return Math.max(0, Math.min(levels - 1, Math.floor(Math.log2(1 / k) + 1e-9)))
}

/** The region of the full-resolution image that tile `t` covers (clipped at the image's edge). */
export function tileImageRect(width: number, height: number, t: TileKey): Rect {
  const span = TILE_SIZE * 2 ** t.level
  const x = t.x * span
  const y = t.y * span
  return { x, y, w: Math.max(0, Math.min(span, width - x)), h: Math.max(0, Math.min(span, height - y)) }
}

/**
 * Tiles of `level` that intersect the viewport (viewW × viewH CSS pixels under `view`), nearest the
 * viewport's centre first; empty when the image is entirely off screen.
 */
export function visibleTiles(view: View, viewW: number, viewH: number, width: number, height: number, level: number): TileKey[] {
  const lv = tileGrid(width, height).level(level)
  const span = TILE_SIZE * 2 ** level
  const left = Math.max(0, -view.x / view.scale)
  const top = Math.max(0, -view.y / view.scale)
  const right = Math.min(width, (viewW - view.x) / view.scale)
  const bottom = Math.min(height, (viewH - view.y) / view.scale)
  if (right <= left || bottom <= top) return []
  const x0 = Math.floor(left / span)
  const y0 = Math.floor(top / span)
  const x1 = Math.min(lv.cols - 1, Math.ceil(right / span) - 1)
  const y1 = Math.min(lv.rows - 1, Math.ceil(bottom / span) - 1)
  const cx = (left + right) / 2
  const cy = (top + bottom) / 2
  const out: Array<TileKey & { d: number }> = []
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const d = ((x + 0.5) * span - cx) ** 2 + ((y + 0.5) * span - cy) ** 2
      out.push({ level, x, y, d })
    }
  }
  out.sort((a, b) => a.d - b.d || a.y - b.y || a.x - b.x)
  return out.map(({ level: l, x, y }) => ({ level: l, x, y }))
}

/**
 * The tile of `level` that contains tile `t` (t's level or finer), for drawing a coarser tile under a
 * finer one that is still loading.
 */
export function parentTile(t: TileKey, level: number): TileKey {
  const f = 2 ** (level - t.level)
  return { level, x: Math.floor(t.x / f), y: Math.floor(t.y / f) }
}

/**
 * The held tiles to draw for a screen, coarsest first so finer ones paint over them: every held tile of
 * `visible` (all of one level), and under each visible tile still loading the finest held tile of a
 * coarser level that contains it (the overview, `levels - 1`, when nothing finer is held).
 */
export function drawPlan(visible: readonly TileKey[], levels: number, held: (id: string) => boolean): TileKey[] {
  const chosen = new Map<string, TileKey>()
  for (const t of visible) {
    for (let z = t.level; z < levels; z++) {
      const p = parentTile(t, z)
      const id = tileId(p)
      if (!held(id)) continue
      chosen.set(id, p)
      break
    }
  }
  return [...chosen.values()].sort((a, b) => b.level - a.level)
}
