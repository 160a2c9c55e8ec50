/**
 * Turns decoded pixels into what a browser can show: 8-bit grey, RGB or RGBA. High-bit-depth data gets a
 * per-channel percentile stretch, because 16-bit sensors rarely use their whole range and a plain
 * `>> 8` would show them black.
 */
import type { RawImage } from './raw'

/** Lower and upper percentiles of the display stretch. */
export const STRETCH_LOW = 0.02
export const STRETCH_HIGH = 0.98

/** 8-bit interleaved pixels ready to encode. */
export interface Display8 {
  width: number
  height: number
  /** 1 (grey), 3 (RGB) or 4 (RGBA). */
  channels: 1 | 3 | 4
  data: Uint8Array
}

/** The value at fraction `q` of the sorted samples of one channel. */
function percentiles(
  data: Uint16Array | Float32Array,
  channel: number,
  stride: number,
  lowQ: number,
  highQ: number,
): [number, number] {
  const n = Math.floor(data.length / stride)
  if (data instanceof Uint16Array) {
    // A histogram is exact for 16-bit samples and linear in the pixel count.
    const hist = new Uint32Array(65536)
    for (let i = channel; i < data.length; i += stride) hist[data[i]]++
    const lowRank = Math.floor(lowQ * (n - 1))
    const highRank = Math.floor(highQ * (n - 1))
    let low = 0
    let high = 65535
    let seen = 0
    let lowFound = false
    for (let v = 0; v < 65536; v++) {
      seen += hist[v]
      if (!lowFound && seen > lowRank) {
        low = v
        lowFound = true
      }
      if (seen > highRank) {
        high = v
        break
      }
    }
    return [low, high]
  }
  const values = new Float32Array(n)
  for (let i = 0; i < n; i++) values[i] = data[i * stride + channel]
  values.sort()
  const finite = values.filter((v) => Number.isFinite(v))
  if (finite.length === 0) return [0, 0]
  return [finite[Math.floor(lowQ * (finite.length - 1))], finite[Math.floor(highQ * (finite.length - 1))]]
}

/** Maps one channel of `src` linearly so that [low, high] becomes [0, 255], clipping outside. */
function stretchChannel(
  src: Uint16Array | Float32Array,
  srcChannel: number,
  srcStride: number,
  dst: Uint8Array,
  dstChannel: number,
  dstStride: number,
): void {
  let [low, high] = percentiles(src, srcChannel, srcStride, STRETCH_LOW, STRETCH_HIGH)
  if (high <= low) {
    // A (nearly) constant channel: fall back to its full range so a flat image is not blown out.
    ;[low, high] = percentiles(src, srcChannel, srcStride, 0, 1)
  }
  const scale = high > low ? 255 / (high - low) : 0
  const pixels = dst.length / dstStride
  for (let p = 0; p < pixels; p++) {
    const v = src[p * srcStride + srcChannel]
    const s = (v - low) * scale
    dst[p * dstStride + dstChannel] = s <= 0 || Number.isNaN(s) ? 0 : s >= 255 ? 255 : Math.round(s)
  }
}

/** Alpha is opacity, not a measurement: it is rescaled linearly, never stretched. */
function scaleAlpha(src: Uint16Array | Float32Array, srcChannel: number, srcStride: number, dst: Uint8Array): void {
  const max = src instanceof Uint16Array ? 65535 : 1
  const pixels = dst.length / 4
  for (let p = 0; p < pixels; p++) {
    const a = (src[p * srcStride + srcChannel] / max) * 255
    dst[p * 4 + 3] = a <= 0 || Number.isNaN(a) ? 0 : a >= 255 ? 255 : Math.round(a)
  }
}

/** Which display layout fits an image of `channels` channels. */
function displayChannels(channels: number, hasAlpha: boolean): 1 | 3 | 4 {
  if (channels <= 2) return 1
  if (channels === 4 && hasAlpha) return 4
  return 3
}

/** Three bands shown as red, green and blue, 0-based. */
export type DisplayBands = readonly [number, number, number]

/**
 * Whether an image's display depends on the project's band choice: more than 3 bands, or 2, without an
 * alpha band (grey + alpha and RGBA images show as themselves).
 */
export function isMultiband(img: { channels: number; hasAlpha: boolean }): boolean {
  return !img.hasAlpha && (img.channels === 2 || img.channels > 3)
}

/** Which source channel feeds each display channel (bands past the image's last clamp to it). */
function sourceChannels(img: RawImage, out: 1 | 3 | 4, pick: DisplayBands | undefined): number[] {
  if (pick && isMultiband(img)) return pick.map((b) => Math.min(Math.max(0, Math.trunc(b)), img.channels - 1))
  return Array.from({ length: out === 4 ? 3 : out }, (_, c) => c)
}

/**
 * Builds the 8-bit display pixels: 1–2 channels as grey (alpha dropped), 3 as RGB, 4 as RGBA when the
 * fourth is alpha and RGB otherwise, more as RGB of the first three. With `pick`, a multiband image
 * (see {@link isMultiband}) shows those three bands as RGB instead. 8-bit data is copied as is; 16-bit
 * and float data is stretched per channel between its 2nd and 98th percentiles.
 */
export function toDisplay8(img: RawImage, pick?: DisplayBands): Display8 {
  const picked = pick !== undefined && isMultiband(img)
  const out = picked ? 3 : displayChannels(img.channels, img.hasAlpha)
  const pixels = img.width * img.height
  const src = img.data
  if (!picked && src instanceof Uint8Array && img.channels === out) {
    return { width: img.width, height: img.height, channels: out, data: src }
  }
  const dst = new Uint8Array(pixels * out)
  sourceChannels(img, out, pick).forEach((from, c) => {
    if (src instanceof Uint8Array) {
      for (let p = 0; p < pixels; p++) dst[p * out + c] = src[p * img.channels + from]
    } else {
      stretchChannel(src, from, img.channels, dst, c, out)
    }
  })
  if (out === 4) {
    if (src instanceof Uint8Array) {
      for (let p = 0; p < pixels; p++) dst[p * 4 + 3] = src[p * img.channels + 3]
    } else {
      scaleAlpha(src, 3, img.channels, dst)
    }
  }
  return { width: img.width, height: img.height, channels: out, data: dst }
}
