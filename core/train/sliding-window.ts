/**
 * Tiled sliding-window prediction for images of any size: where the tiles go, and how overlapping tile
 * predictions blend. Pure arithmetic; the caller runs the model on each tile.
 */

export interface TileRect {
  /** Top-left corner in image pixels (may be negative never; tiles past the edge are padded by the caller). */
  x: number
  y: number
  /** Size of the valid region of the image inside this tile (≤ tile size). */
  width: number
  height: number
}

/**
 * Tile origins along one axis so that tiles of `tile` pixels overlapping by at least `overlap` cover
 * [0, length). The last tile is aligned to the end when the image is larger than one tile, so no tile is
 * mostly padding.
 */
export function axisOrigins(length: number, tile: number, overlap: number): number[] {
  if (tile <= 0 || length <= 0) throw new Error(`axisOrigins: length ${length} and tile ${tile} must be positive`)
  if (overlap < 0 || overlap >= tile) throw new Error(`axisOrigins: overlap ${overlap} must be in [0, ${tile})`)
  if (length <= tile) return [0]
  const stride = tile - overlap
  const origins: number[] = []
  for (let x = 0; x + tile < length; x += stride) origins.push(x)
  origins.push(length - tile)
  return origins
}

/** Every tile of a `width`×`height` image, row by row. */
export function tileGrid(width: number, height: number, tile: number, overlap: number): TileRect[] {
  const xs = axisOrigins(width, tile, overlap)
  const ys = axisOrigins(height, tile, overlap)
  const rects: TileRect[] = []
  for (const y of ys) {
    for (const x of xs) rects.push({ x, y, width: Math.min(tile, width - x), height: Math.min(tile, height - y) })
  }
  return rects
}

/**
 * Blending weights for one tile: a separable ramp that is 1 in the middle and falls linearly towards the
 * edges over `overlap` pixels (never to 0, so a pixel covered by one tile only still counts). Overlapping
 * predictions are summed with these weights and divided by the summed weights, which hides tile seams.
 */
export function blendWeights(tile: number, overlap: number): Float32Array {
  const ramp = new Float32Array(tile)
  for (let i = 0; i < tile; i++) {
    const d = Math.min(i, tile - 1 - i)
    ramp[i] = overlap > 0 ? Math.min(1, (d + 1) / (overlap + 1)) : 1
  }
  const w = new Float32Array(tile * tile)
  for (let y = 0; y < tile; y++) for (let x = 0; x < tile; x++) w[y * tile + x] = ramp[y] * ramp[x]
  return w
}

/**
 * Accumulates per-class tile probabilities into a whole-image buffer and returns the blended result.
 * `probs` of one tile is tile×tile×classes (HWC); only the tile's valid region is used.
 */
export class BlendAccumulator {
  private readonly sum: Float32Array
  private readonly weight: Float32Array
  private readonly tileWeights: Float32Array

  constructor(
    readonly width: number,
    readonly height: number,
    readonly classes: number,
    readonly tile: number,
    overlap: number,
  ) {
    this.sum = new Float32Array(width * height * classes)
    this.weight = new Float32Array(width * height)
    this.tileWeights = blendWeights(tile, overlap)
  }

  add(rect: TileRect, probs: Float32Array): void {
    const { tile, classes, width } = this
    if (probs.length !== tile * tile * classes) {
      throw new Error(`BlendAccumulator.add: expected ${tile * tile * classes} values, got ${probs.length}`)
    }
    for (let ty = 0; ty < rect.height; ty++) {
      for (let tx = 0; tx < rect.width; tx++) {
        const w = this.tileWeights[ty * tile + tx]
        const p = (rect.y + ty) * width + (rect.x + tx)
        this.weight[p] += w
        const src = (ty * tile + tx) * classes
        const dst = p * classes
        for (let c = 0; c < classes; c++) this.sum[dst + c] += w * probs[src + c]
      }
    }
  }

  /** Blended probabilities, HWC; pixels no tile covered stay 0. */
  result(): Float32Array {
    const out = new Float32Array(this.sum.length)
    const { classes } = this
    for (let p = 0; p < this.weight.length; p++) {
      const w = this.weight[p]
      if (w === 0) continue
      for (let c = 0; c < classes; c++) out[p * classes + c] = this.sum[p * classes + c] / w
    }
    return out
  }
}

/** Blended probabilities of whole image rows [y0, y0 + rows), HWC (rows × width × classes). */
export interface BlendedRows {
  y0: number
  rows: number
  probs: Float32Array
}

/**
 * The same blend as {@link BlendAccumulator}, but over a rolling window of one tile's height instead of
 * the whole image, so a 8,000² image with 6 classes needs ~50 MB (256-px tiles) instead of 1.5 GB. Tiles
 * are added band by band (one band = every tile whose top is `origins[band]`, left to right); once a band
 * is complete, the rows above the next band's top get no more tiles, so {@link finishBand} returns them
 * blended and slides the window down. Per pixel the same float32 sums are made in the same order as
 * BlendAccumulator with tiles added row by row, so the results are identical.
 */
export class BandBlender {
  /** Top row of each band of tiles (axisOrigins of the height). */
  readonly origins: number[]
  /** Left column of each tile of a band. */
  readonly columns: number[]
  private readonly sum: Float32Array
  private readonly weight: Float32Array
  private readonly tileWeights: Float32Array
  private readonly windowRows: number
  private band = 0

  constructor(
    readonly width: number,
    readonly height: number,
    readonly classes: number,
    readonly tile: number,
    overlap: number,
  ) {
    this.origins = axisOrigins(height, tile, overlap)
    this.columns = axisOrigins(width, tile, overlap)
    this.windowRows = Math.min(tile, height)
    this.sum = new Float32Array(this.windowRows * width * classes)
    this.weight = new Float32Array(this.windowRows * width)
    this.tileWeights = blendWeights(tile, overlap)
  }

  /** Index of the band being filled; equals origins.length once every band is finished. */
  get currentBand(): number {
    return this.band
  }

  /** The tiles of the current band, left to right. */
  bandRects(): TileRect[] {
    const y = this.origins[this.band]
    return this.columns.map((x) => ({ x, y, width: Math.min(this.tile, this.width - x), height: Math.min(this.tile, this.height - y) }))
  }

  /** Adds one tile of the current band; `probs` is tile×tile×classes (HWC). */
  add(rect: TileRect, probs: Float32Array): void {
    const { tile, classes, width } = this
    if (probs.length !== tile * tile * classes) {
      throw new Error(`BandBlender.add: expected ${tile * tile * classes} values, got ${probs.length}`)
    }
    const top = this.origins[this.band]
    if (rect.y !== top) throw new Error(`BandBlender.add: tile at row ${rect.y} is not in the current band (row ${top})`)
    for (let ty = 0; ty < rect.height; ty++) {
      for (let tx = 0; tx < rect.width; tx++) {
        const w = this.tileWeights[ty * tile + tx]
        const p = ty * width + (rect.x + tx)
        this.weight[p] += w
        const src = (ty * tile + tx) * classes
        const dst = p * classes
        for (let c = 0; c < classes; c++) this.sum[dst + c] += w * probs[src + c]
      }
    }
  }

  /** Ends the current band: the rows no later tile covers, blended, and the window moved past them. */
  finishBand(): BlendedRows {
    if (this.band >= this.origins.length) throw new Error('BandBlender.finishBand: every band is already finished')
    const { width, classes } = this
    const y0 = this.origins[this.band]
    const next = this.band + 1 < this.origins.length ? this.origins[this.band + 1] : this.height
    const rows = next - y0
    const probs = new Float32Array(rows * width * classes)
    for (let p = 0; p < rows * width; p++) {
      const w = this.weight[p]
      if (w === 0) continue
      for (let c = 0; c < classes; c++) probs[p * classes + c] = this.sum[p * classes + c] / w
    }
    // Slide: row `rows` of the window becomes row 0, the freed rows at the bottom start empty.
    this.sum.copyWithin(0, rows * width * classes)
    this.sum.fill(0, (this.windowRows - rows) * width * classes)
    this.weight.copyWithin(0, rows * width)
    this.weight.fill(0, (this.windowRows - rows) * width)
    this.band++
    return { y0, rows, probs }
  }
}
