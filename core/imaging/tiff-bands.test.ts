import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeArrayBuffer } from 'geotiff'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { AppError } from '../contract'
import { decodeImage, readPixels, readPixelsFromFile, renderBands } from './index'
import { inspectTiff, isMultibandTiffFile, isTiffBytes } from './tiff-bands'

const W = 10
const H = 6

/** Band b of pixel i: 1000·b + 7·i (+ 60000 in band 3, beyond any 8-bit or signed 16-bit range). */
function value16(i: number, b: number): number {
  return 1000 * b + 7 * i + (b === 3 ? 60000 : 0)
}

/** A `bands`-band GeoTIFF (16-bit unless `eight`) in UTM 33N written by geotiff.js, band-interleaved. */
function multiband(bands: number, eight = false): { bytes: Buffer; data: Uint8Array | Uint16Array } {
  const data = eight ? new Uint8Array(W * H * bands) : new Uint16Array(W * H * bands)
  for (let i = 0; i < W * H; i++) for (let b = 0; b < bands; b++) data[i * bands + b] = eight ? (b * 30 + i) % 256 : value16(i, b)
  const bytes = writeArrayBuffer(data, {
    width: W,
    height: H,
    ModelPixelScale: [10, 10, 0],
    ModelTiepoint: [0, 0, 0, 500000, 4649776, 0],
    ProjectedCSTypeGeoKey: 32633,
  })
  return { bytes: Buffer.from(bytes), data }
}

async function pixelsOf(png: Buffer): Promise<{ channels: number; data: Buffer }> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true })
  return { channels: info.channels, data }
}

describe('multiband TIFFs', () => {
  it('reads a 4-band 16-bit GeoTIFF with exactly its 4 bands and exact values', async () => {
    const { bytes, data } = multiband(4)
    const px = await readPixels(bytes, 'scene.tif')
    expect([px.width, px.height, px.channels, px.bitDepth]).toEqual([W, H, 4, 16])
    expect(px.data).toBeInstanceOf(Uint16Array)
    expect(Array.from(px.data)).toEqual(Array.from(data))
    const d = await decodeImage(bytes, 'scene.tif')
    expect([d.bands, d.bitDepth, d.format, d.multiband, d.displayMime]).toEqual([4, 16, 'tiff', true, 'image/png'])
    expect((await pixelsOf(d.display)).channels).toBe(3)
  })

  it.each([
    [5, false],
    [8, false],
    [5, true],
    [8, true],
    [2, false],
  ])('reads %i bands (8-bit: %s) exactly', async (bands, eight) => {
    const { bytes, data } = multiband(bands, eight)
    const px = await readPixels(bytes, `b${bands}.tif`)
    expect([px.channels, px.bitDepth, px.hasAlpha]).toEqual([bands, eight ? 8 : 16, false])
    expect(Array.from(px.data)).toEqual(Array.from(data))
    const d = await decodeImage(bytes, `b${bands}.tif`)
    expect([d.bands, d.multiband]).toEqual([bands, true])
  })

  it('keeps ordinary TIFFs (grey + alpha, RGBA) with sharp and their alpha', async () => {
    const ga = await sharp(Buffer.alloc(W * H * 2, 9), { raw: { width: W, height: H, channels: 2 } }).toColourspace('b-w').tiff({ compression: 'lzw' }).toBuffer()
    expect(isTiffBytes(ga)).toBe(true)
    expect(await inspectTiff(ga)).toMatchObject({ bands: 2, hasAlpha: true, sharpMisreads: false, preferGeoTiff: false })
    const d = await decodeImage(ga, 'ga.tif')
    expect([d.bands, d.multiband]).toEqual([2, false])
    const rgba = await sharp(Buffer.alloc(W * H * 4, 200), { raw: { width: W, height: H, channels: 4 } }).tiff({ compression: 'lzw' }).toBuffer()
    expect(await inspectTiff(rgba)).toMatchObject({ bands: 4, hasAlpha: true, sharpMisreads: false })
    expect((await decodeImage(rgba, 'rgba.tif')).multiband).toBe(false)
  })

  it('shows the chosen bands, stretched, and leaves non-multiband images alone', async () => {
    // Band 3 is bright on the left half and dark on the right; bands 0-2 the other way round.
    const data = new Uint16Array(W * H * 5)
    for (let i = 0; i < W * H; i++) {
      const left = i % W < W / 2
      for (let b = 0; b < 5; b++) data[i * 5 + b] = (b === 3) === left ? 40000 + b : 100 + b
    }
    const bytes = Buffer.from(writeArrayBuffer(data, { width: W, height: H }))
    const first = await pixelsOf((await decodeImage(bytes, 'm.tif')).display)
    const picked = await renderBands(bytes, 'm.tif', [3, 0, 9])
    expect(picked).not.toBeNull()
    const shown = await pixelsOf(picked!.display)
    expect(shown.channels).toBe(3)
    // Pixel 0 (left): default display shows bands 0-2 dark; picked shows band 3 bright as red, band 0
    // dark as green, and band 9 (past the last) clamps to band 4, dark.
    expect(Array.from(first.data.subarray(0, 3))).toEqual([0, 0, 0])
    expect(Array.from(shown.data.subarray(0, 3))).toEqual([255, 0, 0])
    const right = (W - 1) * 3
    expect(Array.from(shown.data.subarray(right, right + 3))).toEqual([0, 255, 255])
    const thumb = await sharp(picked!.thumbnail).metadata()
    expect([thumb.format, thumb.width, thumb.height]).toEqual(['webp', W, H])
    const rgb = await sharp(Buffer.alloc(W * H * 3, 5), { raw: { width: W, height: H, channels: 3 } }).png().toBuffer()
    expect(await renderBands(rgb, 'rgb.png', [2, 1, 0])).toBeNull()
  })

  it('names the file of a truncated multiband TIFF', async () => {
    const { bytes } = multiband(6)
    for (const cut of [0.5, 0.95]) {
      const err = await readPixels(bytes.subarray(0, Math.floor(bytes.length * cut)), 'cut.tif').catch((e: unknown) => e)
      expect(err).toBeInstanceOf(AppError)
      expect((err as AppError).code).toBe('DECODE_FAILED')
      expect((err as AppError).message.startsWith('cut.tif: ')).toBe(true)
    }
  })

  it('reads the same pixels and layout from a file on disk as from its bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'labelloop-tiff-file-'))
    try {
      const tif = join(dir, 'scene.tif')
      const { bytes, data } = multiband(5)
      writeFileSync(tif, bytes)
      const fromFile = await readPixelsFromFile(tif, 'scene.tif')
      expect([fromFile.width, fromFile.height, fromFile.channels, fromFile.bitDepth, fromFile.hasAlpha]).toEqual([W, H, 5, 16, false])
      expect(Array.from(fromFile.data)).toEqual(Array.from(data))
      expect(await isMultibandTiffFile(tif, 5)).toBe(true)
      const png = join(dir, 'rgb.png')
      const pngBytes = await sharp(Buffer.alloc(W * H * 3, 90), { raw: { width: W, height: H, channels: 3 } }).png().toBuffer()
      writeFileSync(png, pngBytes)
      expect(await readPixelsFromFile(png, 'rgb.png')).toEqual(await readPixels(pngBytes, 'rgb.png'))
      expect(await isMultibandTiffFile(png, 5)).toBe(false)
      await expect(readPixelsFromFile(join(dir, 'gone.png'), 'gone.png')).rejects.toThrow(/Cannot read .*gone\.png/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
