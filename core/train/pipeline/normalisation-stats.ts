/**
 * Per-channel mean and standard deviation measured over a project's images in one streaming pass, at any
 * bit depth (8-bit, 16-bit, float). Each image is summarised in float64 (mean and sum of squared
 * deviations) and merged with Chan et al.'s parallel update, so neither a 16-bit sum nor a large image
 * loses precision, and images can be added one at a time as they are decoded.
 */
import { AppError } from '../../contract'
import type { LabeledImage } from './types'

/** Raw pixels of one image, HWC interleaved, at the file's own precision. */
export interface RawPixels {
  width: number
  height: number
  channels: number
  data: Uint8Array | Uint16Array | Float32Array | Float64Array
}

/** Per-channel mean and standard deviation (std never below a small floor). */
export interface ChannelStats {
  mean: number[]
  std: number[]
}

const MIN_STD = 1e-6

/** Streaming per-channel statistics: `add` images as they come, `stats()` at any time. */
export class ChannelStatsAccumulator {
  private count = 0
  private readonly mean: Float64Array
  private readonly m2: Float64Array

  constructor(readonly channels: number) {
    this.mean = new Float64Array(channels)
    this.m2 = new Float64Array(channels)
  }

  /** Adds every pixel of `img`; its channel count must match. */
  add(img: RawPixels): void {
    if (img.channels !== this.channels) {
      throw new AppError('INVALID_INPUT', `normalisation: image has ${img.channels} channels, expected ${this.channels}`)
    }
    const n = img.width * img.height
    if (n === 0) return
    const c = this.channels
    const sum = new Float64Array(c)
    for (let p = 0; p < n; p++) for (let k = 0; k < c; k++) sum[k] += img.data[p * c + k]
    const mean = Array.from(sum, (s) => s / n)
    const m2 = new Float64Array(c)
    for (let p = 0; p < n; p++) {
      for (let k = 0; k < c; k++) {
        const d = img.data[p * c + k] - mean[k]
        m2[k] += d * d
      }
    }
    const total = this.count + n
    for (let k = 0; k < c; k++) {
      const delta = mean[k] - this.mean[k]
      this.mean[k] += (delta * n) / total
      this.m2[k] += m2[k] + (delta * delta * this.count * n) / total
    }
    this.count = total
  }

  /** Pixels seen so far. */
  get pixels(): number {
    return this.count
  }

  /** Mean and population std per channel; INVALID_INPUT before any pixel was added. */
  stats(): ChannelStats {
    if (this.count === 0) throw new AppError('INVALID_INPUT', 'normalisation: no pixels to measure')
    return {
      mean: Array.from(this.mean),
      std: Array.from(this.m2, (m) => Math.max(MIN_STD, Math.sqrt(m / this.count))),
    }
  }
}

/** Statistics of all `images` in one pass. */
export function measureChannelStats(images: Iterable<RawPixels>, channels: number): ChannelStats {
  const acc = new ChannelStatsAccumulator(channels)
  for (const img of images) acc.add(img)
  return acc.stats()
}

/** (x − mean) / std per channel as a new float32 HWC array. */
export function normalisePixels(img: RawPixels, stats: ChannelStats): Float32Array {
  const c = img.channels
  if (stats.mean.length !== c) throw new AppError('INVALID_INPUT', `normalisation: stats have ${stats.mean.length} channels, image ${c}`)
  const out = new Float32Array(img.width * img.height * c)
  const inv = stats.std.map((s) => 1 / s)
  for (let i = 0; i < out.length; i++) {
    const k = i % c
    out[i] = (img.data[i] - stats.mean[k]) * inv[k]
  }
  return out
}

/** A normalised LabeledImage from raw pixels and a mask (checked to match the image size). */
export function toLabeledImage(img: RawPixels, mask: Uint8Array, stats: ChannelStats, name = 'image'): LabeledImage {
  if (mask.length !== img.width * img.height) {
    throw new AppError('MASK_SIZE', `${name}: mask has ${mask.length} pixels, image is ${img.width}×${img.height}`)
  }
  return { width: img.width, height: img.height, channels: img.channels, data: normalisePixels(img, stats), labels: mask }
}
