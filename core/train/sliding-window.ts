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
