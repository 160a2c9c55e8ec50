/**
 * Geometric augmentations, applied identically to pixels and mask: flips, 90° rotations and scale. Each
 * returns a new image. Masks are only ever moved or sampled nearest-neighbour, so no new class value can
 * appear; pixels a zoom-out brings in from outside the image are 0 (the mean) with label 255.
 */
import { blankImage, type LabeledImage } from './types'

/** Builds an image of `width`×`height` whose pixel (x, y) is the source pixel `from(x, y)` (index, or −1 for padding). */
function remap(src: LabeledImage, width: number, height: number, from: (x: number, y: number) => number): LabeledImage {
  const c = src.channels
  const out = blankImage(width, height, c)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = from(x, y)
      if (s < 0) continue
      const d = y * width + x
      out.labels[d] = src.labels[s]
      for (let k = 0; k < c; k++) out.data[d * c + k] = src.data[s * c + k]
    }
  }
  return out
}

/** Mirror left–right. */
export function flipHorizontal(img: LabeledImage): LabeledImage {
  const w = img.width
  return remap(img, w, img.height, (x, y) => y * w + (w - 1 - x))
}

/** Mirror top–bottom. */
export function flipVertical(img: LabeledImage): LabeledImage {
  const w = img.width
  return remap(img, w, img.height, (x, y) => (img.height - 1 - y) * w + x)
}

/** Rotation by k × 90° counter-clockwise (k taken mod 4); width and height swap for odd k. */
export function rotate90(img: LabeledImage, k: number): LabeledImage {
  const turns = ((k % 4) + 4) % 4
  const { width: w, height: h } = img
  if (turns === 0) return remap(img, w, h, (x, y) => y * w + x)
  if (turns === 2) return remap(img, w, h, (x, y) => (h - 1 - y) * w + (w - 1 - x))
  // Output is h wide and w tall. Counter-clockwise: out(x, y) = in(w − 1 − y, x); clockwise: in(y, h − 1 − x).
  if (turns === 1) return remap(img, h, w, (x, y) => x * w + (w - 1 - y))
  return remap(img, h, w, (x, y) => (h - 1 - x) * w + y)
}

/**
 * Zoom about the centre by `factor` keeping the size: > 1 zooms in (a centre crop enlarged), < 1 zooms
 * out (the image shrunk inside padding of 0 / label 255). Pixels are bilinear, the mask nearest.
 */
export function scale(img: LabeledImage, factor: number): LabeledImage {
  const { width: w, height: h, channels: c } = img
  const out = blankImage(w, h, c)
  const cx = w / 2
  const cy = h / 2
  for (let y = 0; y < h; y++) {
    const sy = (y + 0.5 - cy) / factor + cy - 0.5
    for (let x = 0; x < w; x++) {
      const sx = (x + 0.5 - cx) / factor + cx - 0.5
      const nx = Math.round(sx)
      const ny = Math.round(sy)
      const d = y * w + x
      if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue
      out.labels[d] = img.labels[ny * w + nx]
      const x0 = Math.max(0, Math.min(w - 1, Math.floor(sx)))
      const y0 = Math.max(0, Math.min(h - 1, Math.floor(sy)))
      const x1 = Math.min(w - 1, x0 + 1)
      const y1 = Math.min(h - 1, y0 + 1)
      const fx = Math.max(0, Math.min(1, sx - x0))
      const fy = Math.max(0, Math.min(1, sy - y0))
      for (let k = 0; k < c; k++) {
        const a = img.data[(y0 * w + x0) * c + k] * (1 - fx) + img.data[(y0 * w + x1) * c + k] * fx
        const b = img.data[(y1 * w + x0) * c + k] * (1 - fx) + img.data[(y1 * w + x1) * c + k] * fx
        out.data[d * c + k] = a * (1 - fy) + b * fy
      }
    }
  }
  return out
}
