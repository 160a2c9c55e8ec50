/**
 * Photometric augmentations on normalised pixels, in place; they never read or write the mask.
 * Brightness adds an offset (in standard deviations), contrast scales about the tile's channel mean,
 * gamma bends each channel's range after mapping it to [0, 1] (normalised values can be negative),
 * noise adds Gaussian noise, and blur is a separable box or Gaussian filter with clamped edges.
 */
import { randNormal, type LabeledImage, type Random } from './types'

/** x += delta on every channel. */
export function brightness(img: LabeledImage, delta: number): void {
  const d = img.data
  for (let i = 0; i < d.length; i++) d[i] += delta
}

/** x = (x − mean) × factor + mean per channel, mean over the tile. */
export function contrast(img: LabeledImage, factor: number): void {
  const { data, channels: c } = img
  const n = data.length / c
  for (let k = 0; k < c; k++) {
    let sum = 0
    for (let p = 0; p < n; p++) sum += data[p * c + k]
    const mean = sum / Math.max(1, n)
    for (let p = 0; p < n; p++) data[p * c + k] = (data[p * c + k] - mean) * factor + mean
  }
}

/** Per channel: t = (x − lo) / (hi − lo), x = lo + (hi − lo) × t^gamma, lo/hi the tile's channel range. */
export function gamma(img: LabeledImage, g: number): void {
  const { data, channels: c } = img
  const n = data.length / c
  for (let k = 0; k < c; k++) {
    let lo = Infinity
    let hi = -Infinity
    for (let p = 0; p < n; p++) {
      const v = data[p * c + k]
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
    const range = hi - lo
    if (!(range > 0)) continue
    for (let p = 0; p < n; p++) data[p * c + k] = lo + range * Math.pow((data[p * c + k] - lo) / range, g)
  }
}

/** x += sigma × N(0, 1), independently per value. */
export function gaussianNoise(img: LabeledImage, sigma: number, rng: Random): void {
  const d = img.data
  for (let i = 0; i < d.length; i++) d[i] += sigma * randNormal(rng)
}

/** A normalised 1-D kernel: box of `radius`, or Gaussian of `sigma` over ±ceil(2.5σ) when sigma is given. */
export function blurKernel(radius: number, sigma?: number): Float32Array {
  const r = sigma !== undefined ? Math.max(1, Math.ceil(2.5 * sigma)) : radius
  const k = new Float32Array(2 * r + 1)
  let sum = 0
  for (let i = -r; i <= r; i++) {
    const v = sigma !== undefined ? Math.exp(-(i * i) / (2 * sigma * sigma)) : 1
    k[i + r] = v
    sum += v
  }
  for (let i = 0; i < k.length; i++) k[i] /= sum
  return k
}

/** Separable convolution with `kernel` along x then y, edges clamped. */
export function blur(img: LabeledImage, kernel: Float32Array): void {
  const { width: w, height: h, channels: c, data } = img
  const r = (kernel.length - 1) / 2
  const tmp = new Float32Array(data.length)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let k = 0; k < c; k++) {
        let s = 0
        for (let i = -r; i <= r; i++) s += kernel[i + r] * data[(y * w + Math.min(w - 1, Math.max(0, x + i))) * c + k]
        tmp[(y * w + x) * c + k] = s
      }
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let k = 0; k < c; k++) {
        let s = 0
        for (let i = -r; i <= r; i++) s += kernel[i + r] * tmp[(Math.min(h - 1, Math.max(0, y + i)) * w + x) * c + k]
        data[(y * w + x) * c + k] = s
      }
    }
  }
}
