/**
 * Mask PNG codec of the renderer: what `masks:save` sends (`pngBase64`) and `masks:get` returns.
 * Masks are single-channel PNGs of class indices, one per pixel, 255 = unlabeled; fast-png (pure JS)
 * keeps palette indices as they are, which the browser's own PNG decoder would turn into colours.
 */
import { decode, encode, type DecodedPng, type IndexedColors } from 'fast-png'
import { AppError, UNLABELED } from '../../core/contract'

const EXPECTED = 'expected a single-channel 8-bit grey or palette PNG of class indices'

/** A decoded mask: width × height class indices. */
export interface DecodedMask {
  width: number
  height: number
  data: Uint8Array
}

/**
 * The palette written with masks so they look distinct in image viewers: the Pascal VOC colour map
 * (bits of the index spread over the high bits of R, G, B); 255 is grey. Colours only, no alpha:
 * the index is the class, and the palette never changes what is read back.
 */
const PALETTE: IndexedColors = Array.from({ length: 256 }, (_, i) => {
  if (i === UNLABELED) return [128, 128, 128]
  const rgb = [0, 0, 0]
  for (let bits = i, shift = 7; bits > 0; bits >>= 3, shift--) {
    for (let c = 0; c < 3; c++) rgb[c] |= ((bits >> c) & 1) << shift
  }
  return rgb
})

/** Encodes class indices as an 8-bit palette PNG. */
export function encodeMaskPng(data: Uint8Array, width: number, height: number): Uint8Array {
  if (data.length !== width * height) {
    throw new AppError('MASK_SIZE', `mask-codec: mask has ${data.length} bytes, ${width}×${height} needs ${width * height}`)
  }
  return encode({ width, height, data, channels: 1, depth: 8, palette: PALETTE })
}

/**
 * Decodes a mask PNG (grey of 1, 2, 4 or 8 bits, or palette) into class indices. Anything else throws
 * DECODE_FAILED naming `what` (an image name or "mask of image 12") and the problem.
 */
export function decodeMaskPng(bytes: Uint8Array, what = 'mask'): DecodedMask {
  let png: DecodedPng
  try {
    png = decode(bytes)
  } catch (err) {
    throw new AppError('DECODE_FAILED', `mask-codec: ${what} is not a valid PNG (${err instanceof Error ? err.message : String(err)}); ${EXPECTED}`)
  }
  const { width, height, depth, channels } = png
  if (channels !== 1 || depth === 16) {
    throw new AppError('DECODE_FAILED', `mask-codec: ${what} has ${channels} channel(s) of ${depth} bits; ${EXPECTED}`)
  }
  const rowBytes = Math.ceil((width * depth) / 8)
  const src = png.data
  if (src.length < rowBytes * height) throw new AppError('DECODE_FAILED', `mask-codec: ${what} pixel data is truncated`)
  if (depth === 8) return { width, height, data: Uint8Array.from(src.subarray(0, width * height)) }
  const data = new Uint8Array(width * height)
  const perByte = 8 / depth
  const max = (1 << depth) - 1
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const byte = src[y * rowBytes + Math.floor(x / perByte)]
      data[y * width + x] = (byte >> (8 - depth * ((x % perByte) + 1))) & max
    }
  }
  return { width, height, data }
}

/** Base64 of bytes, in chunks so large masks do not overflow the argument limit of fromCharCode. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

/** Bytes of a base64 string. */
export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64)
  const out = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
  return out
}

/** The `pngBase64` of `masks:save` for a mask. */
export function maskToBase64Png(data: Uint8Array, width: number, height: number): string {
  return bytesToBase64(encodeMaskPng(data, width, height))
}

/**
 * The mask of a `masks:get` answer: decoded when it has a PNG, all unlabeled when `pngBase64` is null.
 * A stored mask whose size differs from the image throws MASK_SIZE.
 */
export function maskFromDto(dto: { imageId: number; width: number; height: number; pngBase64: string | null }): Uint8Array {
  if (dto.pngBase64 === null) return new Uint8Array(dto.width * dto.height).fill(UNLABELED)
  const m = decodeMaskPng(base64ToBytes(dto.pngBase64), `mask of image ${dto.imageId}`)
  if (m.width !== dto.width || m.height !== dto.height) {
    throw new AppError('MASK_SIZE', `mask-codec: mask of image ${dto.imageId} is ${m.width}×${m.height}, the image is ${dto.width}×${dto.height}`)
  }
  return m.data
}
