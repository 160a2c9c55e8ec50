/**
 * The unlabeled images of a run in memory, as the files store them (8- or 16-bit integers or floats;
 * a float32 copy of every image would take four times the memory), and weak views cut from them: a random
 * tile, normalised with the run's normalisation and flipped or turned by 90°. Images are read in a
 * seeded random order until `maxBytes` is reached, so a project of thousands of unlabeled images does not
 * fill the memory; the report says how many were read.
 */
import type { Normalisation } from '../loop/normalisation'
import type { LabeledRef, PixelImage, TrainingSource } from '../loop/data-source'
import { flipHorizontal, flipVertical, rotate90 } from '../pipeline/geometric'
import { IGNORE, randInt, type LabeledImage, type Random } from '../pipeline/types'

/** Bytes of raw unlabeled pixels a run keeps in memory at most (256 MiB). */
export const UNLABELED_BYTES = 256 * 1024 * 1024

interface Stored {
  id: number
  name: string
  pixels: PixelImage
}

export interface PoolLoad {
  source: TrainingSource
  refs: readonly LabeledRef[]
  channels: number
  normalisation: Normalisation
  rng: Random
  maxBytes?: number
  signal?: AbortSignal
}

export class UnlabeledPool {
  private readonly cumulative: number[]

  private constructor(
    private readonly images: readonly Stored[],
    readonly channels: number,
    private readonly norm: Normalisation,
    /** Unlabeled images the project has (the pool may hold fewer). */
    readonly available: number,
  ) {
    let sum = 0
    this.cumulative = images.map((img) => (sum += img.pixels.width * img.pixels.height))
  }

  /** Reads unlabeled images in a seeded random order until the byte budget is used; null when none could be read. */
  static async load(o: PoolLoad): Promise<UnlabeledPool | null> {
    const order = [...o.refs]
    for (let i = order.length - 1; i > 0; i--) {
      const j = randInt(o.rng, i + 1)
      ;[order[i], order[j]] = [order[j], order[i]]
    }
    const max = o.maxBytes ?? UNLABELED_BYTES
    const images: Stored[] = []
    let bytes = 0
    for (const ref of order) {
      if (o.signal?.aborted) break
      const estimate = ref.width * ref.height * o.channels
      if (images.length > 0 && bytes + estimate > max) continue
      const pixels = await o.source.pixels(ref.id)
      bytes += pixels.data.byteLength
      images.push({ id: ref.id, name: ref.name, pixels })
    }
    return images.length > 0 ? new UnlabeledPool(images, o.channels, o.normalisation, o.refs.length) : null
  }

  /** Images held. */
  get size(): number {
    return this.images.length
  }

  /**
   * A weak view: a `size`² tile at a random place of an image drawn by area, normalised, randomly flipped
   * and turned. `labels` is 0 inside the image and 255 over padding (an image smaller than the tile).
   */
  weakTile(rng: Random, size: number): LabeledImage {
    const total = this.cumulative[this.cumulative.length - 1]
    const at = rng.next() * total
    let i = this.cumulative.findIndex((c) => c > at)
    if (i < 0) i = this.images.length - 1
    const img = this.images[i].pixels
    const x0 = img.width > size ? randInt(rng, img.width - size + 1) : Math.floor((img.width - size) / 2)
    const y0 = img.height > size ? randInt(rng, img.height - size + 1) : Math.floor((img.height - size) / 2)
    let tile = this.cut(img, x0, y0, size)
    if (rng.next() < 0.5) tile = flipHorizontal(tile)
    if (rng.next() < 0.5) tile = flipVertical(tile)
    const turns = randInt(rng, 4)
    if (turns > 0) tile = rotate90(tile, turns)
    return tile
  }

  /** The tile at (x0, y0) converted to the model's channels (alpha dropped, grey repeated) and normalised. */
  private cut(img: PixelImage, x0: number, y0: number, size: number): LabeledImage {
    const c = this.channels
    const from = img.channels
    const data = new Float32Array(size * size * c)
    const labels = new Uint8Array(size * size).fill(IGNORE)
    const { mean, std } = this.norm
    for (let ty = 0; ty < size; ty++) {
      const y = y0 + ty
      if (y < 0 || y >= img.height) continue
      for (let tx = 0; tx < size; tx++) {
        const x = x0 + tx
        if (x < 0 || x >= img.width) continue
        const s = (y * img.width + x) * from
        const d = ty * size + tx
        labels[d] = 0
        for (let k = 0; k < c; k++) {
          const sc = k < from ? k : from === 1 ? 0 : -1
          data[d * c + k] = ((sc >= 0 ? img.data[s + sc] : 0) - mean[k]) / std[k]
        }
      }
    }
    return { width: size, height: size, channels: c, data, labels }
  }
}
