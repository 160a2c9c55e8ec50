/**
 * The review detail is a static preview of one pseudo-label: the image with the pseudo mask over it and
 * the confidence heatmap, each fitted into a box of the page. A normal image shows its display rendition
 * and maps at full resolution. A large one (tiled in the editor, see tile-math.ts) would need hundreds
 * of megabytes for that, so it shows the display tiles of one coarse level (a few 512² tiles) and maps
 * sampled down to about that size, nearest neighbour, straight from the decoded class indices and
 * confidence levels (one byte per pixel; nothing the image's size is ever RGBA). Pure, so it is tested
 * without a canvas.
 */
import { TILE_SIZE, tileGrid } from '../../../core/contract'
import type { TileKey } from '../../canvas'
import type { ColorTable } from '../../canvas/mask-buffer'
import { renderTableRegion, type ByteMap } from '../../canvas/screen-sample'

/** The long side, in pixels, of a large image's preview (about the detail's boxes at a device ratio of 2). */
export const PREVIEW_MAX_SIDE = 1024

/** Pixels per image pixel of the detail's maps: 1 for a normal image, less for a large (tiled) one. */
export function previewScale(width: number, height: number, tiled: boolean): number {
  return tiled ? Math.min(1, PREVIEW_MAX_SIDE / Math.max(width, height, 1)) : 1
}

/** A map rendered for the detail: `width` × `height` RGBA pixels. */
export interface PreviewMap {
  width: number
  height: number
  rgba: Uint8ClampedArray<ArrayBuffer>
}

/** `map` through `table` at `scale` (see {@link previewScale}); at 1 every map pixel is its own colour. */
export function previewMap(map: ByteMap, table: ColorTable, scale: number): PreviewMap {
  const width = Math.max(1, Math.round(map.width * scale))
  const height = Math.max(1, Math.round(map.height * scale))
  return { width, height, rgba: renderTableRegion(map, table, { scale, x: 0, y: 0 }, 1, { x: 0, y: 0, w: width, h: height }) }
}

/**
 * The tile level a large image's preview is drawn from: the finest whose long side fits in
 * `maxSide` (the one-tile overview at most), so at most (maxSide / TILE_SIZE)² tiles are fetched.
 */
export function previewLevel(width: number, height: number, maxSide = PREVIEW_MAX_SIDE): number {
  const grid = tileGrid(width, height)
  for (let z = 0; z < grid.levels; z++) {
    const lv = grid.level(z)
    if (Math.max(lv.width, lv.height) <= maxSide) return z
  }
  return grid.levels - 1
}

/** A tile of the preview level and where it goes on a canvas of that level's size. */
export interface PlacedTile {
  tile: TileKey
  left: number
  top: number
}

/** Every tile of `level` with its place on the level's canvas, and that canvas's size. */
export function previewTiles(width: number, height: number, level: number): { width: number; height: number; tiles: PlacedTile[] } {
  const lv = tileGrid(width, height).level(level)
  const tiles: PlacedTile[] = []
  for (let y = 0; y < lv.rows; y++) {
    for (let x = 0; x < lv.cols; x++) tiles.push({ tile: { level, x, y }, left: x * TILE_SIZE, top: y * TILE_SIZE })
  }
  return { width: lv.width, height: lv.height, tiles }
}
