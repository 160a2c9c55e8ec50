/**
 * Rare-biased crops: a share of the tiles is centred on a pixel of a rare class. The class is drawn by
 * rarity among the rare classes the image contains, then the pixel uniformly among that class's pixels
 * (precomputed index lists), so a small object is as likely to be picked as any pixel of a big one.
 */
import type { ImageClassIndex } from './class-index'
import { centredOrigin, randomOrigin } from './tiles'
import { randInt, type Random } from './types'

/** A tile's top-left corner. */
export interface Origin {
  x: number
  y: number
}

/**
 * A tile origin centred on a random pixel of a rare class of the image, or null when the image has no
 * pixel of any class with a pixel list. `rarity[c]` weighs class c.
 */
export function rareCentredOrigin(
  image: { width: number; height: number },
  index: ImageClassIndex,
  rarity: readonly number[],
  tile: { width: number; height: number },
  rng: Random,
): Origin | null {
  let total = 0
  for (let c = 0; c < index.pixels.length; c++) if (index.pixels[c].length > 0) total += rarity[c]
  if (total <= 0) return null
  let r = rng.next() * total
  let cls = -1
  for (let c = 0; c < index.pixels.length; c++) {
    if (index.pixels[c].length === 0 || rarity[c] <= 0) continue
    cls = c
    r -= rarity[c]
    if (r < 0) break
  }
  const list = index.pixels[cls]
  const p = list[randInt(rng, list.length)]
  const px = p % image.width
  const py = (p - px) / image.width
  return { x: centredOrigin(px, image.width, tile.width), y: centredOrigin(py, image.height, tile.height) }
}

/** A uniformly random tile origin (padding placements included when the image is smaller). */
export function randomTileOrigin(image: { width: number; height: number }, tile: { width: number; height: number }, rng: Random): Origin {
  return { x: randomOrigin(image.width, tile.width, rng), y: randomOrigin(image.height, tile.height, rng) }
}

/** With probability `share` a rare-centred origin (when the image has a rare class), else a random one. */
export function tileOrigin(
  image: { width: number; height: number },
  index: ImageClassIndex,
  rarity: readonly number[],
  tile: { width: number; height: number },
  share: number,
  rng: Random,
): Origin & { rare: boolean } {
  if (share > 0 && rng.next() < share) {
    const o = rareCentredOrigin(image, index, rarity, tile, rng)
    if (o) return { ...o, rare: true }
  }
  return { ...randomTileOrigin(image, tile, rng), rare: false }
}
