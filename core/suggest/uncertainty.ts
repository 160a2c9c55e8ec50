/**
 * Per-pixel "how much would a label here help" from a stored prediction: the model's doubt at each
 * pixel and the class that doubt is about. Doubt w_p = (1 − conf_p) / (1 − 1/C), clipped to 0..1: 0 when
 * the model gives the pixel probability 1, 1 when it is as unsure as a uniform guess. Rounds keep only
 * the pixels their thresholds pass (the rest 255), so an unkept pixel is attributed to the nearest kept
 * class on its row (doubt sits on the border of what the model does see); a row with nothing kept
 * leaves it unknown (255), which counts as the rarest class.
 */

/** A stored prediction decoded: arg-max class per pixel (255 = not kept) and 8-bit confidence levels. */
export interface PredictionMaps {
  width: number
  height: number
  mask: Uint8Array
  /** 0..255, 255 = probability 1. */
  confidence: Uint8Array
}

export interface PixelDoubt {
  /** Class the doubt is about (255 = unknown). */
  cls: Uint8Array
  /** Doubt 0..1. */
  doubt: Float32Array
}

/** A pixel counts as "uncertain" in the reasons when its doubt is at least this. */
export const UNCERTAIN_DOUBT = 0.5

/** Replaces each 255 of a row by its nearest non-255 neighbour on that row (ties to the left). */
export function fillUnkept(mask: Uint8Array, width: number, height: number): Uint8Array {
  const out = Uint8Array.from(mask)
  const left = new Int32Array(width)
  for (let y = 0; y < height; y++) {
    const row = y * width
    let last = -1
    for (let x = 0; x < width; x++) {
      if (mask[row + x] !== 255) last = x
      left[x] = last
    }
    let next = -1
    for (let x = width - 1; x >= 0; x--) {
      if (mask[row + x] !== 255) {
        next = x
        continue
      }
      const l = left[x]
      const useLeft = l >= 0 && (next < 0 || x - l <= next - x)
      if (useLeft) out[row + x] = mask[row + l]
      else if (next >= 0) out[row + x] = mask[row + next]
    }
  }
  return out
}

/** Doubt and the class it is about, per pixel, for a model with `numClasses` classes. */
export function pixelDoubt(pred: PredictionMaps, numClasses: number): PixelDoubt {
  const n = pred.width * pred.height
  const cls = fillUnkept(pred.mask, pred.width, pred.height)
  const doubt = new Float32Array(n)
  const span = numClasses > 1 ? 1 - 1 / numClasses : 1
  for (let p = 0; p < n; p++) {
    const conf = pred.confidence[p] / 255
    doubt[p] = Math.min(1, Math.max(0, (1 - conf) / span))
  }
  return { cls, doubt }
}
