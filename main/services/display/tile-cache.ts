/**
 * Display tiles of large images, cut with sharp from the stored display rendition on demand and kept in
 * a small least-recently-used cache (by bytes), so panning back over a region costs nothing.
 */
import sharp from 'sharp'
import { AppError, TILE_SIZE, tileGrid, type TileResult } from '../../../core/contract'

/** Bytes of encoded tiles the cache keeps (about 1,000 typical WebP tiles). */
export const TILE_CACHE_BYTES = 64 * 1024 * 1024

interface Entry {
  tile: TileResult
  size: number
}

/** A byte-bounded LRU map; a Map iterates in insertion order, so the first key is the oldest. */
export class TileCache {
  private readonly entries = new Map<string, Entry>()
  private bytes = 0

  constructor(private readonly maxBytes = TILE_CACHE_BYTES) {}

  get(key: string): TileResult | undefined {
    const e = this.entries.get(key)
    if (!e) return undefined
    this.entries.delete(key)
    this.entries.set(key, e)
    return e.tile
  }

  set(key: string, tile: TileResult): void {
    const size = tile.bytesBase64.length
    const old = this.entries.get(key)
    if (old) {
      this.bytes -= old.size
      this.entries.delete(key)
    }
    this.entries.set(key, { tile, size })
    this.bytes += size
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break
      this.entries.delete(k)
      this.bytes -= e.size
    }
  }

  /** Drops every tile (the display changed, or another project opened). */
  clear(): void {
    this.entries.clear()
    this.bytes = 0
  }

  get size(): number {
    return this.entries.size
  }
}

/** An image's display rendition decoded to raw pixels, so its tiles are cut without decoding it again. */
export interface Raster {
  imageId: number
  data: Buffer
  width: number
  height: number
  channels: 1 | 2 | 3 | 4
}

/** Decodes a display rendition once (PNG rows must be decoded in order, so cutting tiles from the file is slow). */
export async function decodeRaster(display: Buffer, imageId: number): Promise<Raster> {
  const { data, info } = await sharp(display, { limitInputPixels: false }).raw().toBuffer({ resolveWithObject: true })
  return { imageId, data, width: info.width, height: info.height, channels: info.channels }
}

/**
 * Cuts tile (x, y) of `level` from `raster`: the covered full-resolution region is extracted and shrunk
 * by 2^level, then encoded as WebP. INVALID_INPUT outside the grid.
 */
export async function cutTile(raster: Raster, level: number, x: number, y: number): Promise<TileResult> {
  const { imageId, width, height } = raster
  const grid = tileGrid(width, height)
  if (level >= grid.levels) throw new AppError('INVALID_INPUT', `Image ${imageId} has tile levels 0..${grid.levels - 1}, not ${level}`)
  const lv = grid.level(level)
  if (x >= lv.cols || y >= lv.rows) {
    throw new AppError('INVALID_INPUT', `Tile (${x}, ${y}) is outside level ${level} of image ${imageId} (${lv.cols}×${lv.rows} tiles)`)
  }
  const scale = 2 ** level
  const left = x * TILE_SIZE * scale
  const top = y * TILE_SIZE * scale
  const srcW = Math.min(TILE_SIZE * scale, width - left)
  const srcH = Math.min(TILE_SIZE * scale, height - top)
  const outW = Math.min(TILE_SIZE, lv.width - x * TILE_SIZE)
  const outH = Math.min(TILE_SIZE, lv.height - y * TILE_SIZE)
  const input = { raw: { width, height, channels: raster.channels }, limitInputPixels: false } as const
  let pipeline = sharp(raster.data, input).extract({ left, top, width: srcW, height: srcH })
  if (srcW !== outW || srcH !== outH) pipeline = pipeline.resize(outW, outH, { fit: 'fill' })
  const bytes = await pipeline.webp({ quality: 85, effort: 1 }).toBuffer()
  return { imageId, level, x, y, width: outW, height: outH, source: [left, top, srcW, srcH], mime: 'image/webp', bytesBase64: bytes.toString('base64') }
}
