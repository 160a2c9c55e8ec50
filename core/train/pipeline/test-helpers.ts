/**
 * Small generated images for the pipeline tests: each pixel's channels encode its position and label, so
 * a test can check that an operation moved pixels and labels together.
 */
import type { LabeledImage } from './types'

/** A `w`×`h` image with `labels` (row-major) and channel 0 = label, channel 1 = x, channel 2 = y. */
export function encodedImage(w: number, h: number, labels: ArrayLike<number>): LabeledImage {
  const data = new Float32Array(w * h * 3)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x
      data[p * 3] = labels[p]
      data[p * 3 + 1] = x
      data[p * 3 + 2] = y
    }
  }
  return { width: w, height: h, channels: 3, data, labels: Uint8Array.from(labels) }
}

/** Labels of a `w`×`h` image filled with `background`, with rectangles [x0,y0,x1,y1) set to their class. */
export function rectLabels(w: number, h: number, background: number, rects: readonly { cls: number; x0: number; y0: number; x1: number; y1: number }[]): Uint8Array {
  const labels = new Uint8Array(w * h).fill(background)
  for (const r of rects) for (let y = r.y0; y < r.y1; y++) for (let x = r.x0; x < r.x1; x++) labels[y * w + x] = r.cls
  return labels
}

/** Value counts of a label array. */
export function histogram(labels: ArrayLike<number>): Map<number, number> {
  const m = new Map<number, number>()
  for (let i = 0; i < labels.length; i++) m.set(labels[i], (m.get(labels[i]) ?? 0) + 1)
  return m
}
