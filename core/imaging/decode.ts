/**
 * Image import decoding: validates a file completely, then derives the display rendition the UI shows
 * and a small thumbnail for the gallery. The original bytes stay the caller's to store untouched.
 */
import { readFile } from 'node:fs/promises'
import sharp, { type SharpOptions } from 'sharp'
import { AppError } from '../contract'
import { isMultiband, toDisplay8, type Display8, type DisplayBands } from './display'
import { decodeRaw, type RawImage } from './raw'
import { readTiffFilePixels } from './tiff-bands'

/** What the store keeps about an imported image besides its original bytes. */
export interface DecodedImage {
  width: number
  height: number
  /** Channels of the original (grey 1, grey+alpha 2, RGB 3, RGBA 4, or every band of a multiband TIFF). */
  bands: number
  /** Bits per sample of the original: 8, 16 or 32 (float). */
  bitDepth: number
  /** png, jpeg, tiff or webp. */
  format: string
  /** An image a browser can show at full size (the original bytes when it already is one). */
  display: Buffer
  displayMime: string
  /** Fits in THUMBNAIL_SIZE × THUMBNAIL_SIZE, aspect kept. */
  thumbnail: Buffer
  thumbnailMime: string
  /** Whether the display shows a choice of bands (2 or more than 3 bands, none of them alpha). */
  multiband: boolean
}

/** The browser-viewable renditions of an image. */
export interface Renditions {
  display: Buffer
  displayMime: string
  thumbnail: Buffer
  thumbnailMime: string
}

/** Longest side of a thumbnail, in pixels. */
export const THUMBNAIL_SIZE = 256

const IMAGE_NAME = /\.(png|jpe?g|tiff?|webp)$/i

/** Whether a file name has an extension LabelLoop imports (.png .jpg .jpeg .tif .tiff .webp). */
export function isImageFileName(name: string): boolean {
  return IMAGE_NAME.test(name)
}

const BROWSER_FORMATS: Record<string, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' }

function rawInput(d: Display8): SharpOptions {
  return { raw: { width: d.width, height: d.height, channels: d.channels } }
}

async function renditionsOf(bytes: Buffer, img: RawImage, bands: DisplayBands | undefined): Promise<Renditions> {
  const disp = toDisplay8(img, bands)
  const mime = BROWSER_FORMATS[img.format]
  const showOriginal =
    mime !== undefined && img.bitDepth === 8 && img.channels !== 2 && img.channels <= 4 && img.orientation === 1 &&
    disp.channels === img.channels
  const display = showOriginal
    ? bytes
    : await sharp(disp.data, rawInput(disp))
        .toColourspace(disp.channels === 1 ? 'b-w' : 'srgb')
        .png({ compressionLevel: 6, adaptiveFiltering: false })
        .toBuffer()
  // WebP at effort 1 encodes several times faster than the default for ~10% larger thumbnails.
  const thumbnail = await sharp(disp.data, rawInput(disp))
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 80, effort: 1 })
    .toBuffer()
  return { display, displayMime: showOriginal ? mime : 'image/png', thumbnail, thumbnailMime: 'image/webp' }
}

/**
 * Decodes and validates `bytes` (all pixels, so truncated files fail) and renders the display image and
 * thumbnail. 8-bit PNG/JPEG/WebP with 1, 3 or 4 channels and no EXIF rotation display as themselves;
 * everything else (TIFF, 16-bit, grey+alpha, rotated JPEG) gets an 8-bit PNG, stretched per channel for
 * high bit depths. A multiband image shows `opts.bands` (the project's choice) or its first three bands.
 * Throws AppError DECODE_FAILED whose message starts with `fileName`.
 */
export async function decodeImage(bytes: Buffer, fileName: string, opts: { bands?: DisplayBands } = {}): Promise<DecodedImage> {
  const img = await decodeRaw(bytes, fileName)
  const r = await renditionsOf(bytes, img, opts.bands)
  return {
    width: img.width,
    height: img.height,
    bands: img.channels,
    bitDepth: img.bitDepth,
    format: img.format,
    ...r,
    multiband: isMultiband(img),
  }
}

/**
 * New display rendition and thumbnail of a multiband image showing `bands` as RGB (percentile-stretched
 * for 16-bit and float data); null for an image whose display does not depend on bands. Throws
 * DECODE_FAILED like decodeImage.
 */
export async function renderBands(bytes: Buffer, fileName: string, bands: DisplayBands): Promise<Renditions | null> {
  const img = await decodeRaw(bytes, fileName)
  return isMultiband(img) ? renditionsOf(bytes, img, bands) : null
}

/** What readPixels returns. */
export interface Pixels {
  width: number
  height: number
  channels: number
  bitDepth: number
  hasAlpha: boolean
  data: Uint8Array | Uint16Array | Float32Array
}

/**
 * {@link readPixels} of a file on disk: a multiband or georeferenced TIFF is read by geotiff.js from the
 * file (its bytes are never held whole, which matters for linked originals of hundreds of MB); anything
 * else is read and decoded as bytes. Throws DECODE_FAILED naming `fileName`, IO when unreadable.
 */
export async function readPixelsFromFile(path: string, fileName: string): Promise<Pixels> {
  const direct = await readTiffFilePixels(path, fileName)
  if (direct) return { width: direct.width, height: direct.height, channels: direct.channels, bitDepth: direct.bitDepth, hasAlpha: direct.hasAlpha, data: direct.data }
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (err) {
    throw new AppError('IO', `Cannot read ${path}: ${(err as Error).message}`, path)
  }
  return readPixels(bytes, fileName)
}

/**
 * Full-precision pixels for training: interleaved samples as Uint8Array (8-bit), Uint16Array (16-bit)
 * or Float32Array (float TIFF), never stretched or rotated, with exactly the file's bands (a 4-band
 * GeoTIFF gives 4 channels). `hasAlpha` tells a trailing alpha band (grey+alpha, RGBA) from a measured
 * one. Throws DECODE_FAILED like decodeImage.
 */
export async function readPixels(
  bytes: Buffer,
  fileName: string,
): Promise<Pixels> {
  const img = await decodeRaw(bytes, fileName)
  return { width: img.width, height: img.height, channels: img.channels, bitDepth: img.bitDepth, hasAlpha: img.hasAlpha, data: img.data }
}
