/**
 * GeoTIFF and other multiband TIFFs through geotiff.js: every band at its own precision (8/16/32-bit
 * integers, 32/64-bit floats) and the georeferencing (ModelPixelScale, ModelTiepoint, ModelTransformation
 * and the GeoKey directory with its EPSG code). Also writes a mask as a single-band 8-bit GeoTIFF with
 * the same georeferencing, so GIS tools overlay exported labels on the source image.
 */
import { fromArrayBuffer, fromFile, writeArrayBuffer, type GeoTIFFImage, type GeotiffWriterMetadata, type TypedArray } from 'geotiff'
import { AppError, UNLABELED } from '../contract'
import { decodeFailed } from './raw'
import { assertPixelBudget } from './limits'

/**
 * Where an image lies on the earth, as its TIFF tags say. The raw tags are kept so a mask written with
 * them is georeferenced exactly as the source; `geoKeys` and `epsg` are the readable summary.
 */
export interface GeoReference {
  /** [scaleX, scaleY, scaleZ]: ground units per pixel. */
  modelPixelScale: number[] | null
  /** [i, j, k, x, y, z, ...]: raster point (i, j, k) lies at model point (x, y, z). */
  modelTiepoint: number[] | null
  /** 4×4 raster-to-model matrix, row-major (instead of scale + tie point). */
  modelTransformation: number[] | null
  geoKeyDirectory: number[] | null
  geoDoubleParams: number[] | null
  geoAsciiParams: string | null
  /** GeoKeys by name (GTModelTypeGeoKey, ProjectedCSTypeGeoKey, ...). */
  geoKeys: Record<string, number | string | number[]>
  /** ProjectedCSTypeGeoKey, else GeographicTypeGeoKey; null when absent or user-defined (32767). */
  epsg: number | null
}

/** A decoded multiband raster: one typed array per band, each width × height, row-major. */
export interface MultibandImage {
  width: number
  height: number
  bands: number
  bitDepth: number
  sampleFormat: 'uint' | 'int' | 'float'
  data: TypedArray[]
  georef: GeoReference | null
}

const USER_DEFINED = 32767

/**
 * The ArrayBuffer geotiff.js reads from: the bytes' own buffer when they span all of it (a file read
 * with fs.readFile does), so a 512 MB GeoTIFF is not copied before decoding; a copy otherwise.
 */
export function tiffArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const buf = bytes.buffer
  if (buf instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buf.byteLength) return buf
  const copy = new Uint8Array(bytes.byteLength)
  copy.set(bytes)
  return copy.buffer
}

function reason(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]
}

async function firstImage(bytes: Uint8Array, fileName: string): Promise<GeoTIFFImage> {
  try {
    const tiff = await fromArrayBuffer(tiffArrayBuffer(bytes))
    return await tiff.getImage(0)
  } catch (err) {
    throw decodeFailed(fileName, `not a readable TIFF (${reason(err)})`)
  }
}

async function numbers(image: GeoTIFFImage, tag: string): Promise<number[] | null> {
  const dir = image.getFileDirectory()
  if (!dir.hasTag(tag as never)) return null
  const value: unknown = await dir.loadValue(tag as never)
  if (value === undefined || value === null) return null
  return Array.from(value as ArrayLike<number>, Number)
}

async function georefOf(image: GeoTIFFImage): Promise<GeoReference | null> {
  const modelPixelScale = await numbers(image, 'ModelPixelScale')
  const modelTiepoint = await numbers(image, 'ModelTiepoint')
  const modelTransformation = await numbers(image, 'ModelTransformation')
  const geoKeyDirectory = await numbers(image, 'GeoKeyDirectory')
  if (!modelPixelScale && !modelTiepoint && !modelTransformation && !geoKeyDirectory) return null
  const dir = image.getFileDirectory()
  const ascii: unknown = dir.hasTag('GeoAsciiParams') ? await dir.loadValue('GeoAsciiParams') : null
  const geoKeys: GeoReference['geoKeys'] = {}
  for (const [name, value] of Object.entries(image.getGeoKeys() ?? {})) {
    if (typeof value === 'number' || typeof value === 'string') geoKeys[name] = value
    else if (value !== null && typeof value === 'object' && 'length' in value) geoKeys[name] = Array.from(value as ArrayLike<number>, Number)
  }
  const code = [geoKeys.ProjectedCSTypeGeoKey, geoKeys.GeographicTypeGeoKey].find((v) => typeof v === 'number' && v !== USER_DEFINED)
  return {
    modelPixelScale,
    modelTiepoint,
    modelTransformation,
    geoKeyDirectory,
    geoDoubleParams: await numbers(image, 'GeoDoubleParams'),
    geoAsciiParams: typeof ascii === 'string' ? ascii : null,
    geoKeys,
    epsg: typeof code === 'number' ? code : null,
  }
}

/**
 * Decodes the first image of a TIFF with all its bands. Throws DECODE_FAILED naming `fileName` for a
 * corrupt or unsupported file (for example a compression geotiff.js cannot read).
 */
export async function decodeGeoTiff(bytes: Uint8Array, fileName: string): Promise<MultibandImage> {
  const image = await firstImage(bytes, fileName)
  assertPixelBudget(image.getWidth(), image.getHeight(), fileName)
  let data: TypedArray[]
  try {
    const rasters = await image.readRasters({ interleave: false })
    data = Array.from(rasters as ArrayLike<TypedArray>)
  } catch (err) {
    throw decodeFailed(fileName, `its pixel data cannot be read (${reason(err)})`)
  }
  const pixels = image.getWidth() * image.getHeight()
  if (data.length !== image.getSamplesPerPixel() || data.some((band) => band.length !== pixels)) {
    throw decodeFailed(fileName, `its pixel data does not fill the declared ${image.getWidth()}×${image.getHeight()}×${image.getSamplesPerPixel()}`)
  }
  const format = image.getSampleFormat(0)
  return {
    width: image.getWidth(),
    height: image.getHeight(),
    bands: image.getSamplesPerPixel(),
    bitDepth: image.getBitsPerSample(0),
    sampleFormat: format === 3 ? 'float' : format === 2 ? 'int' : 'uint',
    data,
    georef: await georefOf(image),
  }
}

/**
 * The bands interleaved pixel by pixel (as core/imaging's RawImage holds them): 8-bit unsigned stays
 * Uint8Array, 16-bit unsigned Uint16Array, everything else (signed, 32-bit integers, 64-bit floats)
 * becomes Float32Array with bitDepth 32, the precision training reads.
 */
export function interleaveBands(img: MultibandImage): { width: number; height: number; channels: number; bitDepth: 8 | 16 | 32; data: Uint8Array | Uint16Array | Float32Array } {
  const { width, height, bands } = img
  const pixels = width * height
  const first = img.data[0]
  const make = (): Uint8Array | Uint16Array | Float32Array => {
    if (first instanceof Uint8Array) return new Uint8Array(pixels * bands)
    if (first instanceof Uint16Array) return new Uint16Array(pixels * bands)
    return new Float32Array(pixels * bands)
  }
  const data = make()
  img.data.forEach((band, b) => {
    for (let i = 0; i < pixels; i++) data[i * bands + b] = band[i]
  })
  const bitDepth = data instanceof Uint8Array ? 8 : data instanceof Uint16Array ? 16 : 32
  return { width, height, channels: bands, bitDepth, data }
}

/**
 * The bands of an already opened TIFF image read straight into one interleaved array (no per-band
 * arrays and no second copy): 8- and 16-bit unsigned samples only, else null (use decodeGeoTiff and
 * interleaveBands). Peak memory is the file, geotiff.js's copy of one strip or tile, and the output.
 */
export async function readInterleaved(image: GeoTIFFImage, fileName: string): Promise<{ width: number; height: number; channels: number; bitDepth: 8 | 16; data: Uint8Array | Uint16Array } | null> {
  const bands = image.getSamplesPerPixel()
  const bits = image.getBitsPerSample(0)
  for (let b = 0; b < bands; b++) {
    if (image.getSampleFormat(b) !== 1 || image.getBitsPerSample(b) !== bits) return null
  }
  if (bits !== 8 && bits !== 16) return null
  const width = image.getWidth()
  const height = image.getHeight()
  assertPixelBudget(width, height, fileName)
  let data: unknown
  try {
    data = await image.readRasters({ interleave: true })
  } catch (err) {
    throw decodeFailed(fileName, `its pixel data cannot be read (${reason(err)})`)
  }
  if (!(data instanceof Uint8Array) && !(data instanceof Uint16Array)) return null
  if (data.length !== width * height * bands) throw decodeFailed(fileName, `its pixel data does not fill the declared ${width}×${height}×${bands}`)
  return { width, height, channels: bands, bitDepth: bits, data }
}

/** Only the georeferencing of a TIFF (reads the header, not the pixels); null when it has none. */
export async function readGeoReference(bytes: Uint8Array, fileName: string): Promise<GeoReference | null> {
  return georefOf(await firstImage(bytes, fileName))
}

/**
 * The georeferencing of a TIFF on disk, reading only its header's byte ranges (a linked original of
 * hundreds of MB is not loaded). DECODE_FAILED naming `fileName` when it is not a readable TIFF.
 */
export async function readGeoReferenceFile(path: string, fileName: string): Promise<GeoReference | null> {
  let tiff: Awaited<ReturnType<typeof fromFile>> | null = null
  try {
    try {
      tiff = await fromFile(path)
    } catch (err) {
      throw decodeFailed(fileName, `not a readable TIFF (${reason(err)})`)
    }
    return await georefOf(await tiff.getImage(0))
  } finally {
    await tiff?.close()
  }
}

/** Whether a mask can be placed with this georeferencing: scale + tie point, or a transformation. */
export function isAffineGeoReference(g: GeoReference | null): g is GeoReference {
  return g !== null && (g.modelTransformation !== null || (g.modelPixelScale !== null && g.modelTiepoint !== null))
}

function writerMetadata(width: number, height: number, g: GeoReference, withAscii: boolean): GeotiffWriterMetadata {
  const md: GeotiffWriterMetadata = {
    width,
    height,
    BitsPerSample: [8],
    SamplesPerPixel: [1],
    SampleFormat: [1],
    PhotometricInterpretation: 1,
    StripByteCounts: [width * height],
    GDAL_NODATA: String(UNLABELED),
    // Present but empty: stops the writer from inventing WGS 84 and a whole-globe tie point; the
    // source's own GeoKey directory is passed as it is below.
    ProjectedCSTypeGeoKey: undefined,
  }
  if (g.modelPixelScale) md.ModelPixelScale = g.modelPixelScale
  if (g.modelTiepoint) md.ModelTiepoint = g.modelTiepoint
  if (g.modelTransformation) md.ModelTransformation = g.modelTransformation
  if (g.geoKeyDirectory) {
    const dir = withAscii ? g.geoKeyDirectory : withoutAsciiKeys(g.geoKeyDirectory)
    md.GeoKeyDirectory = dir
    if (g.geoDoubleParams) md.GeoDoubleParams = g.geoDoubleParams
    if (withAscii && g.geoAsciiParams) md.GeoAsciiParams = g.geoAsciiParams
  }
  return md
}

/** The directory without keys stored in GeoAsciiParams (citations only; codes are SHORT keys). */
function withoutAsciiKeys(dir: number[]): number[] {
  const keys: number[] = []
  for (let i = 4; i + 3 < dir.length; i += 4) if (dir[i + 1] !== 34737) keys.push(...dir.slice(i, i + 4))
  return [dir[0], dir[1], dir[2], keys.length / 4, ...keys]
}

function sameNumbers(a: number[] | null, b: number[] | null): boolean {
  return (a ?? []).length === (b ?? []).length && (a ?? []).every((v, i) => v === (b ?? [])[i])
}

/** Checks that a written header carries the georeferencing it was given (the writer's IFD area is fixed). */
async function verified(bytes: Uint8Array, width: number, height: number, md: GeotiffWriterMetadata): Promise<number | null> {
  try {
    const image = await firstImage(bytes, 'mask')
    const ok = image.getWidth() === width && image.getHeight() === height &&
      sameNumbers(await numbers(image, 'ModelPixelScale'), md.ModelPixelScale ?? null) &&
      sameNumbers(await numbers(image, 'ModelTiepoint'), md.ModelTiepoint ?? null) &&
      sameNumbers(await numbers(image, 'ModelTransformation'), md.ModelTransformation ?? null) &&
      (md.GeoKeyDirectory === undefined || sameNumbers(await numbers(image, 'GeoKeyDirectory'), md.GeoKeyDirectory))
    const offsets = await numbers(image, 'StripOffsets')
    return ok && offsets !== null && offsets.length === 1 ? offsets[0] : null
  } catch {
    return null
  }
}

/**
 * Writes class indices (row-major, 255 = unlabeled and declared as GDAL nodata) as an uncompressed
 * single-band 8-bit GeoTIFF georeferenced like `georef`. geotiff.js encodes the tags; its pixel loop
 * allocates per pixel, so the strip (identical bytes for 8-bit data) is appended directly after the
 * header it wrote, whose strip offset is read back and checked. When the GeoAscii citations do not fit
 * the writer's fixed header area they are left out (the EPSG codes and transforms always stay).
 */
export async function encodeGeoTiffMask(data: Uint8Array, width: number, height: number, georef: GeoReference): Promise<Buffer> {
  if (data.length !== width * height) throw new RangeError(`mask has ${data.length} pixels, expected ${width}×${height}`)
  if (!isAffineGeoReference(georef)) {
    throw new AppError('INVALID_INPUT', 'A georeferenced mask needs ModelPixelScale with ModelTiepoint, or ModelTransformation')
  }
  for (const withAscii of [true, false]) {
    const md = writerMetadata(width, height, georef, withAscii)
    const header = new Uint8Array(writeArrayBuffer(new Uint8Array(1), { ...md }))
    const offset = await verified(header, width, height, md)
    if (offset !== null && offset === header.length - 1) {
      const out = Buffer.alloc(offset + data.length)
      out.set(header.subarray(0, offset))
      out.set(data, offset)
      return out
    }
  }
  throw new AppError('INTERNAL', `geotiff.js could not write a ${width}×${height} GeoTIFF header with this georeferencing`)
}
