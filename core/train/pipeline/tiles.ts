/**
 * Tiles cut from images of any size. Where the tile reaches outside the image (an image smaller than the
 * tile, or a crop near the edge) pixels are 0, which is the channel mean after normalisation, and labels
 * are 255, so padding never counts as a class.
 */
import { blankImage, randInt, type LabeledImage, type Random } from './types'

/** Copies the `width`×`height` window at (x0, y0) of `image` (origin may be negative or past the edge). */
export function cutTile(image: LabeledImage, x0: number, y0: number, width: number, height = width): LabeledImage {
  const c = image.channels
  const tile = blankImage(width, height, c)
  const xs = Math.max(0, x0)
  const xe = Math.min(image.width, x0 + width)
  if (xe <= xs) return tile
  for (let ty = 0; ty < height; ty++) {
    const y = y0 + ty
    if (y < 0 || y >= image.height) continue
    const src = y * image.width
    const dst = ty * width - x0
    tile.labels.set(image.labels.subarray(src + xs, src + xe), dst + xs)
    tile.data.set(image.data.subarray((src + xs) * c, (src + xe) * c), (dst + xs) * c)
  }
  return tile
}

/**
 * A random tile origin along one axis: anywhere inside when the image is at least the tile, otherwise a
 * random placement of the whole image inside the tile (a negative origin).
 */
export function randomOrigin(length: number, tile: number, rng: Random): number {
  const span = Math.abs(length - tile)
  const offset = randInt(rng, span + 1)
  return length >= tile ? offset : -offset
}

/**
 * The origin of a tile centred on `center`, shifted to stay inside the image where it can (an image
 * smaller than the tile is centred on the pixel as far as the tile allows).
 */
export function centredOrigin(center: number, length: number, tile: number): number {
  const origin = center - Math.floor(tile / 2)
  if (length >= tile) return Math.min(Math.max(0, origin), length - tile)
  return Math.min(0, Math.max(length - tile, origin))
}
