import { fromArrayBuffer, writeArrayBuffer } from 'geotiff'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { AppError } from '../contract'
import { decodeGeoTiff, encodeGeoTiffMask, interleaveBands, isAffineGeoReference, readGeoReference, readInterleaved, tiffArrayBuffer, type GeoReference } from './geotiff'

const W = 6
const H = 4

/** A 4-band 16-bit GeoTIFF in UTM zone 33N (EPSG:32633), 10 m pixels, written with geotiff.js. */
function fourBand16(): Uint8Array {
  const data = new Uint16Array(W * H * 4)
  for (let i = 0; i < W * H; i++) for (let b = 0; b < 4; b++) data[i * 4 + b] = 1000 * b + i * 7 + (b === 3 ? 60000 : 0)
  return new Uint8Array(
    writeArrayBuffer(data, {
      width: W,
      height: H,
      ModelPixelScale: [10, 10, 0],
      ModelTiepoint: [0, 0, 0, 500000, 4649776, 0],
      ProjectedCSTypeGeoKey: 32633,
      GTModelTypeGeoKey: 1,
      GTRasterTypeGeoKey: 1,
      GTCitationGeoKey: 'WGS 84 / UTM zone 33N',
    }),
  )
}

describe('decodeGeoTiff', () => {
  it('decodes every band of a 4-band 16-bit GeoTIFF with its georeferencing', async () => {
    const img = await decodeGeoTiff(fourBand16(), 'scene.tif')
    expect([img.width, img.height, img.bands, img.bitDepth, img.sampleFormat]).toEqual([W, H, 4, 16, 'uint'])
    expect(img.data).toHaveLength(4)
    expect(img.data[0]).toBeInstanceOf(Uint16Array)
    // Pixel 5 of each band: 1000·b + 35 (+60000 in band 3, beyond any 8-bit or signed range).
    expect(img.data.map((band) => band[5])).toEqual([35, 1035, 2035, 63035])
    expect(img.georef).toMatchObject({
      modelPixelScale: [10, 10, 0],
      modelTiepoint: [0, 0, 0, 500000, 4649776, 0],
      modelTransformation: null,
      epsg: 32633,
      geoKeys: { GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 32633, GTCitationGeoKey: 'WGS 84 / UTM zone 33N' },
    })
  })

  it('interleaves the bands pixel by pixel at their own precision', async () => {
    const img = await decodeGeoTiff(fourBand16(), 'scene.tif')
    const raw = interleaveBands(img)
    expect([raw.width, raw.height, raw.channels, raw.bitDepth]).toEqual([W, H, 4, 16])
    expect(raw.data).toBeInstanceOf(Uint16Array)
    expect(Array.from(raw.data.subarray(5 * 4, 6 * 4))).toEqual([35, 1035, 2035, 63035])
  })

  it('reads 16-bit bands interleaved in one pass exactly as decoding and interleaving them', async () => {
    const bytes = fourBand16()
    const image = await (await fromArrayBuffer(tiffArrayBuffer(bytes))).getImage(0)
    const direct = await readInterleaved(image, 'scene.tif')
    const viaBands = interleaveBands(await decodeGeoTiff(bytes, 'scene.tif'))
    expect(direct).toMatchObject({ width: W, height: H, channels: 4, bitDepth: 16 })
    expect(direct?.data).toBeInstanceOf(Uint16Array)
    expect(Array.from(direct?.data ?? [])).toEqual(Array.from(viaBands.data))
    const floats = new Uint8Array(writeArrayBuffer(new Float32Array(4), { width: 2, height: 2 }))
    expect(await readInterleaved(await (await fromArrayBuffer(tiffArrayBuffer(floats))).getImage(0), 'f.tif')).toBeNull()
  })

  it('hands geotiff.js the bytes without a copy when they fill their buffer', () => {
    const whole = new Uint8Array(16)
    expect(tiffArrayBuffer(whole)).toBe(whole.buffer)
    const part = whole.subarray(4)
    const copy = tiffArrayBuffer(part)
    expect(copy).not.toBe(whole.buffer)
    expect(copy.byteLength).toBe(12)
  })

  it('decodes float bands', async () => {
    const data = Float32Array.from({ length: 3 * 2 * 2 }, (_, i) => i / 4 - 1)
    const bytes = new Uint8Array(writeArrayBuffer(data, { width: 3, height: 2, ModelPixelScale: [0.5, 0.5, 0], ModelTiepoint: [0, 0, 0, 8, 47, 0], GeographicTypeGeoKey: 4326 }))
    const img = await decodeGeoTiff(bytes, 'f.tif')
    expect([img.bands, img.bitDepth, img.sampleFormat, img.georef?.epsg]).toEqual([2, 32, 'float', 4326])
    expect(Array.from(img.data[1])).toEqual([-0.75, -0.25, 0.25, 0.75, 1.25, 1.75])
  })

  it('names the file of a corrupt TIFF', async () => {
    const bytes = fourBand16().subarray(0, 600)
    await expect(decodeGeoTiff(bytes, 'broken.tif')).rejects.toThrow(AppError)
    await expect(decodeGeoTiff(Uint8Array.from([1, 2, 3]), 'broken.tif')).rejects.toThrow(/^broken\.tif: not a readable TIFF/)
  })
})

describe('encodeGeoTiffMask', () => {
  it('writes a single-band 8-bit mask georeferenced like its image', async () => {
    const georef = (await readGeoReference(fourBand16(), 'scene.tif'))!
    const mask = Uint8Array.from({ length: W * H }, (_, i) => (i % 5 === 0 ? 255 : i % 3))
    const bytes = await encodeGeoTiffMask(mask, W, H, georef)
    const back = await decodeGeoTiff(bytes, 'mask.tif')
    expect([back.width, back.height, back.bands, back.bitDepth, back.sampleFormat]).toEqual([W, H, 1, 8, 'uint'])
    expect(Array.from(back.data[0])).toEqual(Array.from(mask))
    expect(back.georef).toMatchObject({ modelPixelScale: [10, 10, 0], modelTiepoint: [0, 0, 0, 500000, 4649776, 0], epsg: 32633 })
    expect(back.georef?.geoKeys).toEqual(georef.geoKeys)
    // An independent reader (libvips) sees the same single-band 8-bit pixels.
    const meta = await sharp(bytes).metadata()
    expect([meta.width, meta.height, meta.channels, meta.depth]).toEqual([W, H, 1, 'uchar'])
    const data = await sharp(bytes).toColourspace('b-w').raw().toBuffer()
    expect(Array.from(data)).toEqual(Array.from(mask))
  })

  it('keeps a ModelTransformation and drops only citations that do not fit the header', async () => {
    const georef: GeoReference = {
      modelPixelScale: null,
      modelTiepoint: null,
      modelTransformation: [2, 0.5, 0, 300000, 0.5, -2, 0, 5000000, 0, 0, 0, 0, 0, 0, 0, 1],
      geoKeyDirectory: [1, 1, 0, 3, 1024, 0, 1, 1, 1026, 34737, 900, 0, 3072, 0, 1, 32632],
      geoDoubleParams: null,
      geoAsciiParams: `${'x'.repeat(899)}|`,
      geoKeys: {},
      epsg: 32632,
    }
    expect(isAffineGeoReference(georef)).toBe(true)
    const bytes = await encodeGeoTiffMask(new Uint8Array(4), 2, 2, georef)
    const back = await decodeGeoTiff(bytes, 'm.tif')
    expect(back.georef?.modelTransformation).toEqual(georef.modelTransformation)
    expect(back.georef?.epsg).toBe(32632)
    expect(back.georef?.geoKeys).toEqual({ GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 32632 })
  })

  it('refuses georeferencing that cannot place the mask', async () => {
    const none: GeoReference = { modelPixelScale: [1, 1, 0], modelTiepoint: null, modelTransformation: null, geoKeyDirectory: null, geoDoubleParams: null, geoAsciiParams: null, geoKeys: {}, epsg: null }
    await expect(encodeGeoTiffMask(new Uint8Array(1), 1, 1, none)).rejects.toThrow(/needs ModelPixelScale with ModelTiepoint/)
  })
})
