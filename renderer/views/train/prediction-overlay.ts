/**
 * Pixels of the editor's prediction overlay: the active model's predicted classes in the class colours,
 * or its confidence as a heatmap (red = unsure, through yellow, to green = sure). Pure, so the colours
 * are tested without a canvas; the overlay component puts the result on a canvas over the stage.
 */
import type { ClassDef } from '../../../core/contract'

/** Opacity of predicted-class pixels (0..255); pixels the round did not keep (255) stay transparent. */
export const CLASS_ALPHA = 150
/** Opacity of the confidence heatmap. */
export const CONFIDENCE_ALPHA = 170

function hexRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.replace('#', '').slice(0, 6), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

/** RGBA of class indices in the class colours; indices without a class (255 = not kept) are transparent. */
export function classRgba(indices: Uint8Array, classes: readonly ClassDef[]): Uint8ClampedArray<ArrayBuffer> {
  const lut = new Uint8ClampedArray(256 * 4)
  for (const c of classes) {
    const [r, g, b] = hexRgb(c.color)
    lut.set([r, g, b, CLASS_ALPHA], c.index * 4)
  }
  const out = new Uint8ClampedArray(indices.length * 4)
  for (let i = 0; i < indices.length; i++) out.set(lut.subarray(indices[i] * 4, indices[i] * 4 + 4), i * 4)
  return out
}

/** Heat colour of a confidence 0..255: red (0) → yellow (128) → green (255). */
export function heat(value: number): [number, number, number] {
  const t = Math.min(255, Math.max(0, value)) / 255
  return t < 0.5 ? [230, Math.round(60 + 2 * t * 170), 50] : [Math.round(230 - (t - 0.5) * 2 * 170), 230, 50]
}

/** RGBA heatmap of a grey confidence map (255 = confidence 1). */
export function confidenceRgba(confidence: Uint8Array): Uint8ClampedArray<ArrayBuffer> {
  const lut = Array.from({ length: 256 }, (_, v) => heat(v))
  const out = new Uint8ClampedArray(confidence.length * 4)
  for (let i = 0; i < confidence.length; i++) {
    const [r, g, b] = lut[confidence[i]]
    out[i * 4] = r
    out[i * 4 + 1] = g
    out[i * 4 + 2] = b
    out[i * 4 + 3] = CONFIDENCE_ALPHA
  }
  return out
}
