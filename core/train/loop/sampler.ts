/**
 * Where training tiles come from. The loop asks a TileSampler for tile positions and hands them to the
 * batch builder; the rare-class data pipeline (class-aware image sampling, rare-class-biased crops)
 * plugs in as another TileSampler without touching the loop.
 */
import type { TrainImage } from './data-source'
import type { Rng } from './rng'

/** A tile to cut: its image and top-left corner, which may lie outside the image (padded). */
export interface TilePick {
  image: TrainImage
  x: number
  y: number
}

/** Chooses the tiles of a batch. */
export interface TileSampler {
  pick(rng: Rng): TilePick
}

/** A random origin along one axis: inside the image when it is larger than the tile, else a random placement of the image inside the padded tile. */
export function randomOrigin(length: number, tile: number, rng: Rng): number {
  const span = Math.abs(length - tile)
  const offset = rng.int(span + 1)
  return length >= tile ? offset : -offset
}

/** Uniform sampling: every image equally likely, the tile anywhere in it. */
export class UniformSampler implements TileSampler {
  constructor(
    private readonly images: readonly TrainImage[],
    private readonly tileSize: number,
  ) {
    if (images.length === 0) throw new Error('UniformSampler: no training images')
  }

  pick(rng: Rng): TilePick {
    const image = this.images[rng.int(this.images.length)]
    return { image, x: randomOrigin(image.width, this.tileSize, rng), y: randomOrigin(image.height, this.tileSize, rng) }
  }
}

/** Tiles one epoch shows: as many as it takes to cover every training image once. */
export function tilesPerEpoch(images: readonly TrainImage[], tileSize: number): number {
  let tiles = 0
  for (const img of images) tiles += Math.ceil(img.width / tileSize) * Math.ceil(img.height / tileSize)
  return tiles
}
