/**
 * Per-channel normalisation measured on the project's labeled images: x' = (x − mean) / std. Stored
 * with every checkpoint and exported model, so prediction sees inputs scaled exactly as in training.
 */
import { AppError } from '../../contract'

/** Per-channel mean and standard deviation (std never below a small floor). */
export interface Normalisation {
  mean: number[]
  std: number[]
}

const MIN_STD = 1e-6

/** Mean and std of each channel over every pixel of `images` (HWC float data with `channels`). */
export function measureNormalisation(images: readonly Float32Array[], channels: number): Normalisation {
  const sum = new Float64Array(channels)
  const sq = new Float64Array(channels)
  let pixels = 0
  for (const data of images) {
    const n = data.length / channels
    for (let p = 0; p < n; p++) {
      for (let c = 0; c < channels; c++) {
        const v = data[p * channels + c]
        sum[c] += v
        sq[c] += v * v
      }
    }
    pixels += n
  }
  if (pixels === 0) throw new AppError('INVALID_INPUT', 'normalisation: no pixels to measure')
  const mean = Array.from(sum, (s) => s / pixels)
  const std = Array.from(sq, (s, c) => Math.max(MIN_STD, Math.sqrt(Math.max(0, s / pixels - mean[c] * mean[c]))))
  return { mean, std }
}

/** Normalises HWC float data in place and returns it. */
export function normalise(data: Float32Array, norm: Normalisation): Float32Array {
  const channels = norm.mean.length
  for (let i = 0; i < data.length; i++) {
    const c = i % channels
    data[i] = (data[i] - norm.mean[c]) / norm.std[c]
  }
  return data
}
