/**
 * SimCLR's two augmented views of one tile, on normalised HWC float pixels of any band count: random
 * crop + bilinear resize, one of the 8 flips/rotations, colour jitter (brightness, contrast, per-band
 * gain: what hue and saturation become for multispectral bands), Gaussian noise and Gaussian blur.
 * Self-contained here because the data pipeline (core/train/pipeline) was not yet committed when this
 * was written; the operations are pure functions so the pipeline's can replace them one by one.
 */
import type { Rng } from '../loop/rng'

/** How strong the views' augmentations are. */
export interface ViewOptions {
  /** Smallest crop, as a fraction of the window's area (default 0.25). */
  minScale: number
  /** Brightness shift ± and contrast / gain factor 1 ± this (normalised units; default 0.4). */
  jitter: number
  /** Probability of colour jitter (default 0.8). */
  jitterProbability: number
  /** Largest noise standard deviation (default 0.1). */
  noise: number
  /** Probability of a blur (default 0.5); its sigma is drawn in [0.1, 1.5] px. */
  blurProbability: number
}

export const DEFAULT_VIEW_OPTIONS: ViewOptions = { minScale: 0.25, jitter: 0.4, jitterProbability: 0.8, noise: 0.1, blurProbability: 0.5 }

const uniform = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng.next()

/** A standard normal draw (Box–Muller). */
export function gaussian(rng: Rng): number {
  const u = Math.max(rng.next(), 1e-12)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next())
}

/**
 * Crops a random rectangle of `scale` ∈ [minScale, 1] of the source's area and aspect ratio in
 * [3/4, 4/3] (clamped to the source) and resizes it bilinearly to `out`×`out`.
 */
export function randomResizedCrop(src: Float32Array, width: number, height: number, channels: number, out: number, rng: Rng, minScale: number): Float32Array {
  const area = width * height * uniform(rng, minScale, 1)
  const aspect = Math.exp(uniform(rng, Math.log(3 / 4), Math.log(4 / 3)))
  const cw = Math.max(1, Math.min(width, Math.round(Math.sqrt(area * aspect))))
  const ch = Math.max(1, Math.min(height, Math.round(Math.sqrt(area / aspect))))
  const x0 = rng.int(width - cw + 1)
  const y0 = rng.int(height - ch + 1)
  return resizeBilinear(src, width, channels, { x0, y0, w: cw, h: ch }, out)
}

/** Bilinear resize of the window `r` of an HWC image of row width `width` to `out`×`out` (pixel centres aligned). */
export function resizeBilinear(src: Float32Array, width: number, channels: number, r: { x0: number; y0: number; w: number; h: number }, out: number): Float32Array {
  const dst = new Float32Array(out * out * channels)
  const sx = r.w / out
  const sy = r.h / out
  for (let y = 0; y < out; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), r.h - 1)
    const y1 = Math.floor(fy)
    const y2 = Math.min(y1 + 1, r.h - 1)
    const wy = fy - y1
    for (let x = 0; x < out; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), r.w - 1)
      const x1 = Math.floor(fx)
      const x2 = Math.min(x1 + 1, r.w - 1)
      const wx = fx - x1
      const a = ((r.y0 + y1) * width + r.x0 + x1) * channels
      const b = ((r.y0 + y1) * width + r.x0 + x2) * channels
      const c = ((r.y0 + y2) * width + r.x0 + x1) * channels
      const d = ((r.y0 + y2) * width + r.x0 + x2) * channels
      const o = (y * out + x) * channels
      for (let k = 0; k < channels; k++) {
        const top = src[a + k] + (src[b + k] - src[a + k]) * wx
        const bottom = src[c + k] + (src[d + k] - src[c + k]) * wx
        dst[o + k] = top + (bottom - top) * wy
      }
    }
  }
  return dst
}

/** One of the 8 symmetries of the square (k = 0..7: rotation by k mod 4 quarter turns, transposed when k ≥ 4). */
export function dihedral(tile: Float32Array, size: number, channels: number, k: number): Float32Array {
  if (k === 0) return tile
  const dst = new Float32Array(tile.length)
  const last = size - 1
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let sx = k >= 4 ? y : x
      let sy = k >= 4 ? x : y
      for (let r = 0; r < k % 4; r++) {
        const t = sx
        sx = sy
        sy = last - t
      }
      const from = (sy * size + sx) * channels
      const to = (y * size + x) * channels
      for (let c = 0; c < channels; c++) dst[to + c] = tile[from + c]
    }
  }
  return dst
}

/** Brightness shift, contrast around the tile's mean and a gain per band, in place. */
export function colourJitter(tile: Float32Array, channels: number, rng: Rng, strength: number): void {
  const brightness = uniform(rng, -strength, strength)
  const contrast = uniform(rng, 1 - strength, 1 + strength)
  const gains = Array.from({ length: channels }, () => uniform(rng, 1 - strength / 2, 1 + strength / 2))
  const mean = new Float64Array(channels)
  for (let i = 0; i < tile.length; i++) mean[i % channels] += tile[i]
  const n = tile.length / channels
  for (let c = 0; c < channels; c++) mean[c] /= n
  for (let i = 0; i < tile.length; i++) {
    const c = i % channels
    tile[i] = ((tile[i] - mean[c]) * contrast + mean[c]) * gains[c] + brightness
  }
}

/** Adds N(0, sigma²) noise, in place. */
export function addNoise(tile: Float32Array, rng: Rng, sigma: number): void {
  for (let i = 0; i < tile.length; i++) tile[i] += sigma * gaussian(rng)
}

/** Separable Gaussian blur (radius ⌈2σ⌉, edges clamped); returns a new tile. */
export function gaussianBlur(tile: Float32Array, size: number, channels: number, sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(2 * sigma))
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)))
  const sum = kernel.reduce((a, b) => a + b, 0)
  for (let i = 0; i < kernel.length; i++) kernel[i] /= sum
  const pass = (src: Float32Array, horizontal: boolean): Float32Array => {
    const dst = new Float32Array(src.length)
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const o = (y * size + x) * channels
        for (let t = -radius; t <= radius; t++) {
          const px = horizontal ? Math.min(Math.max(x + t, 0), size - 1) : x
          const py = horizontal ? y : Math.min(Math.max(y + t, 0), size - 1)
          const from = (py * size + px) * channels
          const w = kernel[t + radius]
          for (let c = 0; c < channels; c++) dst[o + c] += w * src[from + c]
        }
      }
    }
    return dst
  }
  return pass(pass(tile, true), false)
}

/** One augmented view of a window (HWC, `width`×`height`), `out`×`out` pixels. */
export function augmentedView(window: Float32Array, width: number, height: number, channels: number, out: number, rng: Rng, opts: ViewOptions = DEFAULT_VIEW_OPTIONS): Float32Array {
  let v = randomResizedCrop(window, width, height, channels, out, rng, opts.minScale)
  v = dihedral(v, out, channels, rng.int(8))
  if (rng.next() < opts.jitterProbability) colourJitter(v, channels, rng, opts.jitter)
  if (rng.next() < opts.blurProbability) v = gaussianBlur(v, out, channels, uniform(rng, 0.1, 1.5))
  if (opts.noise > 0) addNoise(v, rng, uniform(rng, 0, opts.noise))
  return v
}
