/**
 * How images are shown: the project's choice of bands for multiband imagery, and display tiles of large
 * images. Spread into `api` (api.ts); kept apart so the imaging calls read as one group.
 */
import { z } from 'zod'

/** Edge of a display tile in pixels of its level. */
export const TILE_SIZE = 512

const Band = z.number().int().min(0).max(255)

/** Three 0-based bands shown as red, green and blue. */
export const DisplayBands = z.tuple([Band, Band, Band])
export type DisplayBands = z.infer<typeof DisplayBands>

/** The project's band choice and what it applies to. */
export const DisplayBandsInfo = z.object({
  /** The chosen bands, or null: multiband images show their first three bands. */
  bands: DisplayBands.nullable(),
  /** Images whose display depends on the choice (2 or more than 3 bands, no alpha). */
  multibandImages: z.number().int(),
  /** The most bands any of those images has (0 when there is none): the picker offers 0..maxBands-1. */
  maxBands: z.number().int(),
})
export type DisplayBandsInfo = z.infer<typeof DisplayBandsInfo>

/**
 * A tile of an image's display rendition. Level 0 is full resolution; level z is downsampled by 2^z.
 * Tile (x, y) of level z covers level-z pixels [x·TILE_SIZE, (x+1)·TILE_SIZE) × [y·TILE_SIZE, …), clipped
 * at the image's edge, so edge tiles are smaller.
 */
export const TileRequest = z.object({
  id: z.number().int(),
  level: z.number().int().min(0).max(20),
  x: z.number().int().min(0),
  y: z.number().int().min(0),
})

export const TileResult = z.object({
  imageId: z.number().int(),
  level: z.number().int(),
  x: z.number().int(),
  y: z.number().int(),
  /** Pixel size of this tile (TILE_SIZE except at the right and bottom edges). */
  width: z.number().int(),
  height: z.number().int(),
  /** The region of the full-resolution image it covers: [left, top, width, height]. */
  source: z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int()]),
  mime: z.string(),
  bytesBase64: z.string(),
})
export type TileResult = z.infer<typeof TileResult>

/** Levels, level sizes and tile counts of an image, computed the same way on both sides. */
export function tileGrid(width: number, height: number): { levels: number; level(z: number): { width: number; height: number; cols: number; rows: number } } {
  const levels = Math.max(1, Math.ceil(Math.log2(Math.max(width, height, 1) / TILE_SIZE)) + 1)
  return {
    levels,
    level(z: number) {
      const w = Math.max(1, Math.ceil(width / 2 ** z))
      const h = Math.max(1, Math.ceil(height / 2 ** z))
      return { width: w, height: h, cols: Math.ceil(w / TILE_SIZE), rows: Math.ceil(h / TILE_SIZE) }
    },
  }
}

/** The display calls, spread into the contract's `api` map. */
export const displayApi = {
  /** The project's band choice for multiband images, and how many images it affects. */
  'display:getBands': { input: z.object({}).strict(), output: DisplayBandsInfo },
  /**
   * Stores the project's band choice (in the project file) and regenerates the display rendition and
   * thumbnail of every multiband image showing those bands, percentile-stretched for 16-bit and float
   * data; bands past an image's last clamp to it. Emits `project:changed` (images) with the ids redrawn.
   */
  'display:setBands': { input: z.object({ bands: DisplayBands }), output: DisplayBandsInfo.extend({ regenerated: z.number().int() }) },
  /**
   * One tile of an image's display rendition (WebP), for images too large to load whole in the editor
   * (more than 8,000 px on a side). See {@link tileGrid} for levels and tile counts. NOT_FOUND for an
   * unknown image, INVALID_INPUT for a tile outside the level.
   */
  'images:tile': { input: TileRequest, output: TileResult },
} as const
