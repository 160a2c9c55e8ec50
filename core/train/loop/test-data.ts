/**
 * Generated data for the training-engine tests: bright squares (class 1) on a dark noisy background
 * (class 0), trivially separable by brightness, served through an in-memory TrainingSource.
 */
import type { ClassDef } from '../../contract'
import type { PixelImage, TrainingSource } from './data-source'
import { Rng } from './rng'

export interface SyntheticImage {
  id: number
  name: string
  pixels: PixelImage
  mask: Uint8Array
}

/** `count` RGB images of `size`×`size` with 1–3 bright squares each; `unlabeledBorder` leaves a 255 frame. */
export function squaresDataset(count: number, size: number, seed = 1, unlabeledBorder = 0): SyntheticImage[] {
  const rng = new Rng(seed)
  const out: SyntheticImage[] = []
  for (let i = 0; i < count; i++) {
    const data = new Uint8Array(size * size * 3)
    const mask = new Uint8Array(size * size)
    for (let p = 0; p < size * size; p++) for (let c = 0; c < 3; c++) data[p * 3 + c] = 20 + rng.int(40)
    const squares = 1 + rng.int(3)
    for (let s = 0; s < squares; s++) {
      const side = Math.max(4, Math.floor(size / 6) + rng.int(Math.floor(size / 5)))
      const x0 = rng.int(size - side)
      const y0 = rng.int(size - side)
      for (let y = y0; y < y0 + side; y++) {
        for (let x = x0; x < x0 + side; x++) {
          mask[y * size + x] = 1
          for (let c = 0; c < 3; c++) data[(y * size + x) * 3 + c] = 190 + rng.int(60)
        }
      }
    }
    if (unlabeledBorder > 0) {
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          if (x < unlabeledBorder || y < unlabeledBorder || x >= size - unlabeledBorder || y >= size - unlabeledBorder) mask[y * size + x] = 255
        }
      }
    }
    out.push({ id: i + 1, name: `img-${i + 1}.png`, pixels: { width: size, height: size, channels: 3, data }, mask })
  }
  return out
}

export const SQUARE_CLASSES: ClassDef[] = [
  { index: 0, name: 'background', color: '#000000' },
  { index: 1, name: 'square', color: '#ffffff' },
]

/** A TrainingSource over in-memory images. */
export function memorySource(images: readonly SyntheticImage[], classes: ClassDef[] = SQUARE_CLASSES): TrainingSource {
  const byId = new Map(images.map((i) => [i.id, i]))
  return {
    classes: () => classes.map((c) => ({ ...c })),
    labeledImages: async () => images.map((i) => ({ id: i.id, name: i.name, width: i.pixels.width, height: i.pixels.height })),
    pixels: async (id) => (byId.get(id) as SyntheticImage).pixels,
    mask: async (id) => (byId.get(id) as SyntheticImage).mask.slice(),
  }
}
