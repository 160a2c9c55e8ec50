/**
 * The training loop's view of a project: a small data-access interface so the loop never touches
 * SQLite or files itself, and tests feed it in-memory images. `project-source.ts` implements it over a
 * ProjectStore.
 */
import type { ClassDef } from '../../contract'

/** Raw pixels of one image, interleaved by channel, at the file's own precision. */
export interface PixelImage {
  width: number
  height: number
  channels: number
  data: Uint8Array | Uint16Array | Float32Array
  /** The last channel is alpha (grey+alpha, RGBA) rather than a measured band; absent = guess from the count. */
  hasAlpha?: boolean
}

/** An image that has a current mask (human labels or accepted pseudo-labels). */
export interface LabeledRef {
  id: number
  name: string
  width: number
  height: number
  /** Its labels are pseudo-labels (accepted or unreviewed): train on them, never validate on them. */
  pseudo?: boolean
}

/** What the training loop reads from a project. */
export interface TrainingSource {
  classes(): ClassDef[]
  /** Images with a current mask that labels at least one pixel. */
  labeledImages(): Promise<LabeledRef[]>
  pixels(imageId: number): Promise<PixelImage>
  /** Class indices, row-major, 255 = unlabeled. */
  mask(imageId: number): Promise<Uint8Array>
  /** Images without any labeled pixel (consistency training reads them); absent = none. */
  unlabeledImages?(): Promise<LabeledRef[]>
}

/** A labeled image in memory, normalised and ready to cut tiles from. */
export interface TrainImage {
  id: number
  name: string
  width: number
  height: number
  channels: number
  /** Normalised pixels, HWC float32. */
  data: Float32Array
  /** Class indices, 255 = unlabeled. */
  labels: Uint8Array
}

/**
 * Converts raw pixels to float32 with `channels` channels: extra channels (alpha) are dropped and a
 * single grey channel is repeated, so a project mixing grey and RGB files still trains one model.
 */
export function toChannels(img: PixelImage, channels: number): Float32Array {
  const n = img.width * img.height
  const out = new Float32Array(n * channels)
  const src = img.data
  const from = img.channels
  for (let p = 0; p < n; p++) {
    for (let c = 0; c < channels; c++) {
      const sc = c < from ? c : from === 1 ? 0 : -1
      out[p * channels + c] = sc >= 0 ? src[p * from + sc] : 0
    }
  }
  return out
}

/**
 * The channel count a model for these images takes: the most common count, an alpha channel dropped.
 * Multiband imagery (a 4-band GeoTIFF) keeps every band; without `hasAlpha`, 2 and 4 channels are taken
 * for grey+alpha and RGBA.
 */
export function modelChannels(images: readonly PixelImage[]): number {
  const counts = new Map<number, number>()
  for (const img of images) {
    const alpha = img.hasAlpha ?? (img.channels === 2 || img.channels === 4)
    const c = alpha ? img.channels - 1 : img.channels
    counts.set(c, (counts.get(c) ?? 0) + 1)
  }
  let best = 3
  let bestCount = -1
  for (const [c, n] of counts) {
    if (n > bestCount) {
      best = c
      bestCount = n
    }
  }
  return best
}
