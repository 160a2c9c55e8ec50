/**
 * Full decoding of an image file into its pixel values with sharp (libvips). Every import goes through
 * here so that a corrupt or truncated file is caught before anything is stored: the whole image is
 * decoded, not only its header.
 */
import sharp, { type Metadata, type OutputInfo } from 'sharp'
import { AppError } from '../contract'
import { assertPixelBudget } from './limits'
import { decodeTiffBands, isTiffBytes } from './tiff-bands'

/** The formats LabelLoop accepts, as sharp names them. */
const SUPPORTED_FORMATS = new Set(['png', 'jpeg', 'tiff', 'webp'])

/** Pixel values of a decoded image, interleaved by channel, at the file's own precision. */
export interface RawImage {
  width: number
  height: number
  /** Channels of the decoded data: grey 1, grey+alpha 2, RGB 3, RGBA 4, or a multiband TIFF's bands. */
  channels: number
  /** 8, 16 or 32 (float). */
  bitDepth: 8 | 16 | 32
  /** Container format as sharp names it: png, jpeg, tiff or webp. */
  format: string
  /** Whether the last channel is alpha. */
  hasAlpha: boolean
  /** EXIF orientation (1 = as stored); the pixels are never rotated, so masks match the stored grid. */
  orientation: number
  data: Uint8Array | Uint16Array | Float32Array
}

/** Builds the DECODE_FAILED error every decoder in this folder throws. */
export function decodeFailed(fileName: string, problem: string): AppError {
  return new AppError('DECODE_FAILED', `${fileName}: ${problem}`, fileName)
}

/**
 * `failOn: 'error'` makes libvips abort on truncated or corrupt pixel data, while tolerating the harmless
 * warnings many camera JPEGs carry; `limitInputChannels` allows a few multiband TIFFs.
 */
const INPUT_OPTIONS = { failOn: 'error', limitInputChannels: 16 } as const

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err)
  return text.split('\n')[0].trim()
}

function bitDepthOf(depth: string, fileName: string): 8 | 16 | 32 {
  if (depth === 'uchar' || depth === 'char') return 8
  if (depth === 'ushort' || depth === 'short') return 16
  if (depth === 'float') return 32
  throw decodeFailed(fileName, `unsupported pixel type "${depth}" (expected 8-bit, 16-bit or 32-bit float samples)`)
}

/** Reinterprets sharp's byte output as the typed array of its sample type (copying if misaligned). */
function typed(buf: Buffer, bitDepth: 8 | 16 | 32): Uint8Array | Uint16Array | Float32Array {
  if (bitDepth === 8) return new Uint8Array(buf.buffer, buf.byteOffset, buf.length)
  const bytes = bitDepth === 16 ? 2 : 4
  const src = buf.byteOffset % bytes === 0 ? buf : Buffer.from(buf)
  return bitDepth === 16
    ? new Uint16Array(src.buffer, src.byteOffset, src.length / 2)
    : new Float32Array(src.buffer, src.byteOffset, src.length / 4)
}

/**
 * Decodes every pixel of `bytes`. Multiband, float and georeferenced TIFFs go through geotiff.js so the
 * result has exactly the file's bands; everything else through sharp. Throws DECODE_FAILED naming the
 * file for empty, unrecognised, unsupported, corrupt or truncated input.
 */
export async function decodeRaw(bytes: Buffer, fileName: string): Promise<RawImage> {
  if (bytes.length === 0) throw decodeFailed(fileName, 'the file is empty')
  if (isTiffBytes(bytes)) {
    const bands = await decodeTiffBands(bytes, fileName)
    if (bands) return bands
  }
  let meta: Metadata
  try {
    // The header only, without libvips' pixel limit, so a too-large image is told apart from a damaged one.
    meta = await sharp(bytes, { ...INPUT_OPTIONS, limitInputPixels: false }).metadata()
  } catch (err) {
    throw decodeFailed(fileName, `not a readable image (${firstLine(err)})`)
  }
  assertPixelBudget(meta.width ?? 0, meta.height ?? 0, fileName)
  if (!SUPPORTED_FORMATS.has(meta.format)) {
    throw decodeFailed(fileName, `unsupported image format "${meta.format}" (expected PNG, JPEG, TIFF or WebP)`)
  }
  const bitDepth = bitDepthOf(meta.depth, fileName)
  const channels = meta.channels
  // sharp converts to sRGB on output unless told otherwise; these colour spaces keep the file's own
  // channels and precision. 8-bit grey+alpha has no such space, so it is read as RGBA and folded back.
  let space: string | null
  if (bitDepth === 16) space = channels <= 2 ? 'grey16' : 'rgb16'
  else if (bitDepth === 32) space = channels <= 2 ? 'b-w' : 'scrgb'
  else if (channels === 1) space = 'b-w'
  else if (channels === 2) space = null
  else space = 'srgb'
  let out: { data: Buffer; info: OutputInfo }
  try {
    let pipeline = sharp(bytes, INPUT_OPTIONS)
    if (space !== null) pipeline = pipeline.toColourspace(space)
    const depth = bitDepth === 8 ? 'uchar' : bitDepth === 16 ? 'ushort' : 'float'
    out = await pipeline.raw({ depth }).toBuffer({ resolveWithObject: true })
  } catch (err) {
    throw decodeFailed(fileName, `the image data is corrupt or truncated (${firstLine(err)})`)
  }
  const { width, height } = out.info
  let data = typed(out.data, bitDepth)
  let outChannels = out.info.channels
  if (bitDepth === 8 && channels === 2 && outChannels === 4) {
    data = foldRgbaToGreyAlpha(data as Uint8Array, width * height)
    outChannels = 2
  }
  return {
    width,
    height,
    channels: outChannels,
    bitDepth,
    format: meta.format,
    hasAlpha: outChannels === 2 || (outChannels === 4 && meta.hasAlpha),
    orientation: meta.orientation ?? 1,
    data,
  }
}

function foldRgbaToGreyAlpha(rgba: Uint8Array, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels * 2)
  for (let i = 0; i < pixels; i++) {
    out[i * 2] = rgba[i * 4]
    out[i * 2 + 1] = rgba[i * 4 + 3]
  }
  return out
}
