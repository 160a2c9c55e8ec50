/**
 * Masks are PNGs of class indices, one byte per pixel, 255 = unlabeled. They are read and written with
 * fast-png (pure JS) rather than sharp, because sharp (libvips) expands a palette PNG to its colours and
 * the palette INDEX is the class (Pascal VOC convention); fast-png hands back the indices themselves.
 */
import { decode, encode, type DecodedPng, type IndexedColors } from 'fast-png'
import { UNLABELED } from '../contract'
import { decodeFailed } from './raw'
import { assertPixelBudget } from './limits'

const EXPECTED = 'masks must be single-channel 8-bit grey or palette (indexed) PNGs of class indices'

/** Spreads `depth`-bit packed samples (1, 2 or 4 bits, rows padded to bytes) into one byte each. */
function unpack(packed: Uint8Array, width: number, height: number, depth: number): Uint8Array {
  const out = new Uint8Array(width * height)
  const rowBytes = Math.ceil((width * depth) / 8)
  const perByte = 8 / depth
  const maxValue = (1 << depth) - 1
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const byte = packed[y * rowBytes + Math.floor(x / perByte)]
      const shift = 8 - depth * ((x % perByte) + 1)
      out[y * width + x] = (byte >> shift) & maxValue
    }
  }
  return out
}

/**
 * Reads a mask PNG: grey (1, 2, 4 or 8 bits) or palette, giving one class index per pixel. An RGB or
 * RGBA mask, a grey+alpha mask, a 16-bit mask or a corrupt file throws DECODE_FAILED naming the file and
 * saying what kind of PNG is expected.
 */
export function decodeMaskPng(bytes: Uint8Array, fileName: string): { width: number; height: number; data: Uint8Array } {
  if (bytes.length === 0) throw decodeFailed(fileName, `the mask file is empty; ${EXPECTED}`)
  // The declared size is checked before fast-png allocates (and loops over) it.
  if (bytes.length >= 24 && String.fromCharCode(bytes[12], bytes[13], bytes[14], bytes[15]) === 'IHDR') {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    assertPixelBudget(view.getUint32(16), view.getUint32(20), fileName)
  }
  let png: DecodedPng
  try {
    png = decode(bytes, { checkCrc: true })
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    throw decodeFailed(fileName, `not a valid PNG mask (${reason}); ${EXPECTED}`)
  }
  const { width, height, depth, channels } = png
  if (channels !== 1) {
    const kind = channels === 2 ? 'grey+alpha' : channels === 3 ? 'RGB' : 'RGBA'
    throw decodeFailed(fileName, `the mask is an ${kind} PNG; ${EXPECTED}`)
  }
  if (depth === 16) throw decodeFailed(fileName, `the mask is a 16-bit PNG; ${EXPECTED}`)
  const packedLength = Math.ceil((width * depth) / 8) * height
  if (!(png.data instanceof Uint8Array || png.data instanceof Uint8ClampedArray) || png.data.length < packedLength) {
    throw decodeFailed(fileName, `the mask's pixel data is truncated; ${EXPECTED}`)
  }
  const samples = new Uint8Array(png.data.buffer, png.data.byteOffset, packedLength)
  const data = depth === 8 ? new Uint8Array(samples.subarray(0, width * height)) : unpack(samples, width, height, depth)
  return { width, height, data }
}

/**
 * The colour of each index in written masks: the Pascal VOC colour map (the bits of the index spread
 * over the high bits of R, G and B), which gives 256 distinct colours; 255 (unlabeled) is mid grey.
 * The palette is opaque: fast-png 8 writes tRNS entries at the wrong indices when only some are
 * transparent, and the app draws masks with the project's class colours anyway.
 */
function maskPalette(): IndexedColors {
  const palette: IndexedColors = []
  for (let i = 0; i < 256; i++) {
    let r = 0
    let g = 0
    let b = 0
    let bits = i
    for (let shift = 7; shift >= 0 && bits > 0; shift--) {
      r |= (bits & 1) << shift
      g |= ((bits >> 1) & 1) << shift
      b |= ((bits >> 2) & 1) << shift
      bits >>= 3
    }
    palette.push(i === UNLABELED ? [128, 128, 128] : [r, g, b])
  }
  return palette
}

const PALETTE = maskPalette()

/** Writes class indices as an 8-bit indexed PNG that decodeMaskPng reads back identically. */
export function encodeMaskPng(data: Uint8Array, width: number, height: number): Buffer {
  if (data.length !== width * height) {
    throw new RangeError(`mask data has ${data.length} pixels, expected ${width}×${height} = ${width * height}`)
  }
  const png = encode({ width, height, data, channels: 1, depth: 8, palette: PALETTE })
  return Buffer.from(png.buffer, png.byteOffset, png.byteLength)
}

/**
 * Pixel counts of a mask: `classPixels[c]` for each class c < numClasses, `labeled` = pixels that are
 * not 255, and `unknown` = the sorted distinct indices ≥ numClasses other than 255 (a mask using a class
 * the project does not have).
 */
export function maskClassCounts(
  data: Uint8Array,
  numClasses: number,
): { classPixels: number[]; labeled: number; unknown: number[] } {
  const hist = new Uint32Array(256)
  for (let i = 0; i < data.length; i++) hist[data[i]]++
  const classPixels: number[] = []
  for (let c = 0; c < numClasses; c++) classPixels.push(hist[c])
  const unknown: number[] = []
  for (let v = numClasses; v < 256; v++) if (v !== UNLABELED && hist[v] > 0) unknown.push(v)
  return { classPixels, labeled: data.length - hist[UNLABELED], unknown }
}
