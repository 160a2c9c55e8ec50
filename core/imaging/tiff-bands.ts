/**
 * Which TIFFs libvips (sharp) would misread, and decoding those with geotiff.js instead. libvips reads
 * a greyscale TIFF with extra samples as grey + alpha and widens it to RGB when asked for 16-bit output,
 * and it refuses files with more than a few channels; geotiff.js returns exactly the bands a file holds.
 * Ordinary grey, grey + alpha, RGB and RGBA TIFFs stay with sharp (faster, more compressions).
 */
import { fromArrayBuffer, fromFile, type GeoTIFFImage } from 'geotiff'
import { decodeGeoTiff, interleaveBands, readInterleaved, tiffArrayBuffer } from './geotiff'
import type { RawImage } from './raw'

/** TIFF tag values that decide the decoder. */
const PHOTOMETRIC_MIN_IS_WHITE = 0
const PHOTOMETRIC_MIN_IS_BLACK = 1
const PHOTOMETRIC_RGB = 2
const SAMPLE_FORMAT_UINT = 1
/** ExtraSamples values meaning associated (1) or unassociated (2) alpha; 0 is an unspecified band. */
const ALPHA_EXTRA_SAMPLES = new Set([1, 2])
const GEO_TAGS = ['ModelPixelScale', 'ModelTiepoint', 'ModelTransformation', 'GeoKeyDirectory'] as const

/** How a TIFF should be decoded, from its first image's header. */
export interface TiffLayout {
  bands: number
  /** Whether the band after the colour bands is alpha (ExtraSamples 1 or 2). */
  hasAlpha: boolean
  /** sharp would change the band count (more than 4 bands, or grey / RGB with non-alpha extra bands). */
  sharpMisreads: boolean
  /** Float, signed, odd bit depth or georeferenced: geotiff.js is preferred, sharp can still read it. */
  preferGeoTiff: boolean
}

/** Whether `bytes` start like a TIFF or BigTIFF (II*, MM*, II+, MM+). */
export function isTiffBytes(bytes: Uint8Array): boolean {
  if (bytes.length < 4) return false
  const le = bytes[0] === 0x49 && bytes[1] === 0x49 && (bytes[2] === 42 || bytes[2] === 43) && bytes[3] === 0
  const be = bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0 && (bytes[3] === 42 || bytes[3] === 43)
  return le || be
}

async function extraSamples(image: GeoTIFFImage): Promise<number[]> {
  const dir = image.getFileDirectory()
  if (!dir.hasTag('ExtraSamples')) return []
  const value: unknown = await dir.loadValue('ExtraSamples')
  if (typeof value === 'number') return [value]
  return value !== null && typeof value === 'object' && 'length' in value ? Array.from(value as ArrayLike<number>, Number) : []
}

/** The first image of a TIFF (header only, the bytes are not copied); null when geotiff.js cannot parse it. */
async function openFirstImage(bytes: Uint8Array): Promise<GeoTIFFImage | null> {
  try {
    return await (await fromArrayBuffer(tiffArrayBuffer(bytes))).getImage(0)
  } catch {
    return null
  }
}

/** Reads the first image's header; null when geotiff.js cannot parse it (sharp then reports the file). */
export async function inspectTiff(bytes: Uint8Array): Promise<TiffLayout | null> {
  const image = await openFirstImage(bytes)
  return image ? layoutOf(image) : null
}

async function layoutOf(image: GeoTIFFImage): Promise<TiffLayout> {
  const dir = image.getFileDirectory()
  const bands = image.getSamplesPerPixel()
  const photometric = Number(dir.getValue('PhotometricInterpretation') ?? PHOTOMETRIC_MIN_IS_BLACK)
  const extras = await extraSamples(image)
  const grey = photometric === PHOTOMETRIC_MIN_IS_BLACK || photometric === PHOTOMETRIC_MIN_IS_WHITE
  const colourBands = grey ? 1 : photometric === PHOTOMETRIC_RGB ? 3 : bands
  const hasAlpha = bands === colourBands + 1 && ALPHA_EXTRA_SAMPLES.has(extras[0] ?? 0)
  const sharpMisreads = bands > 4 || ((grey || photometric === PHOTOMETRIC_RGB) && bands > colourBands && !hasAlpha)
  const bits = image.getBitsPerSample(0)
  const preferGeoTiff =
    image.getSampleFormat(0) !== SAMPLE_FORMAT_UINT || (bits !== 8 && bits !== 16) || GEO_TAGS.some((t) => dir.hasTag(t))
  return { bands, hasAlpha, sharpMisreads, preferGeoTiff }
}

/**
 * Decodes a TIFF with geotiff.js when its layout calls for it (see {@link TiffLayout}), returning every
 * band at its own precision; null when sharp should decode it. A file sharp would misread that
 * geotiff.js cannot decode throws DECODE_FAILED naming `fileName`; one sharp reads correctly falls back.
 */
export async function decodeTiffBands(bytes: Uint8Array, fileName: string): Promise<RawImage | null> {
  const image = await openFirstImage(bytes)
  const layout = image ? await layoutOf(image) : null
  if (!image || !layout || (!layout.sharpMisreads && !layout.preferGeoTiff)) return null
  // 8/16-bit unsigned bands (most GeoTIFFs): read interleaved in one pass from the header already parsed.
  try {
    const direct = await readInterleaved(image, fileName)
    if (direct) return { ...direct, format: 'tiff', hasAlpha: layout.hasAlpha, orientation: 1 }
  } catch (err) {
    if (layout.sharpMisreads) throw err
    return null
  }
  let img: Awaited<ReturnType<typeof decodeGeoTiff>>
  try {
    img = await decodeGeoTiff(bytes, fileName)
  } catch (err) {
    if (layout.sharpMisreads) throw err
    return null
  }
  const raw = interleaveBands(img)
  return { ...raw, format: 'tiff', hasAlpha: layout.hasAlpha, orientation: 1 }
}

/**
 * Whether a stored image's display depends on the band choice (see display.ts isMultiband), from its
 * header alone: only TIFFs can have 2 non-alpha bands or more than 3.
 */
export async function isMultibandFile(bytes: Uint8Array, bands: number): Promise<boolean> {
  if ((bands !== 2 && bands <= 3) || !isTiffBytes(bytes)) return false
  const layout = await inspectTiff(bytes)
  return layout !== null && !layout.hasAlpha && (layout.bands === 2 || layout.bands > 3)
}

/**
 * {@link isMultibandFile} for a TIFF on disk (a linked original): geotiff.js reads only the header's
 * byte ranges, so a 512 MB file is not loaded to answer. False for a file it cannot parse.
 */
export async function isMultibandTiffFile(path: string, bands: number): Promise<boolean> {
  if (bands !== 2 && bands <= 3) return false
  let tiff: Awaited<ReturnType<typeof fromFile>> | null = null
  try {
    tiff = await fromFile(path)
    const layout = await layoutOf(await tiff.getImage(0))
    return !layout.hasAlpha && (layout.bands === 2 || layout.bands > 3)
  } catch {
    return false
  } finally {
    await tiff?.close()
  }
}

/**
 * Pixels of a TIFF on disk (a linked original) without holding the file's bytes: geotiff.js reads the
 * header and the strips or tiles it needs from the file straight into one interleaved array. Only for
 * files decoded with geotiff.js with 8/16-bit unsigned bands; null otherwise (read the bytes instead).
 */
export async function readTiffFilePixels(path: string, fileName: string): Promise<RawImage | null> {
  let tiff: Awaited<ReturnType<typeof fromFile>> | null = null
  try {
    try {
      tiff = await fromFile(path)
    } catch {
      return null
    }
    const image = await tiff.getImage(0)
    const layout = await layoutOf(image)
    if (!layout.sharpMisreads && !layout.preferGeoTiff) return null
    const direct = await readInterleaved(image, fileName)
    return direct ? { ...direct, format: 'tiff', hasAlpha: layout.hasAlpha, orientation: 1 } : null
  } finally {
    await tiff?.close()
  }
}
