/**
 * Valid files of every kind a user's file can be, as fuzzing seeds: PNG (RGB, RGBA, 16-bit grey),
 * JPEG, WebP, TIFF (8-bit RGB, 16-bit), multiband GeoTIFFs (4 × 16-bit, 6 × 8-bit), and mask PNGs
 * (8-bit grey indices, 1-bit, VOC palette).
 */
import { encode } from 'fast-png'
import { writeArrayBuffer } from 'geotiff'
import sharp, { type Sharp } from 'sharp'

export interface Seed {
  name: string
  bytes: Buffer
}

const W = 24
const H = 16

function pattern(channels: number, max: number): number[] {
  const out: number[] = []
  for (let i = 0; i < W * H * channels; i++) out.push((i * 37 + (i >> 3) * 11) % (max + 1))
  return out
}

function raw8(channels: 1 | 2 | 3 | 4): Sharp {
  return sharp(Buffer.from(pattern(channels, 255)), { raw: { width: W, height: H, channels } })
}

function raw16(channels: 1 | 3): Sharp {
  const data = new Uint16Array(pattern(channels, 65535))
  return sharp(Buffer.from(data.buffer), { raw: { width: W, height: H, channels, premultiplied: false }, limitInputPixels: false }).toColourspace(channels === 1 ? 'grey16' : 'rgb16')
}

function geoTiff(bands: number, sixteen: boolean): Buffer {
  const values = pattern(bands, sixteen ? 65535 : 255)
  const data = sixteen ? new Uint16Array(values) : new Uint8Array(values)
  return Buffer.from(writeArrayBuffer(data, { width: W, height: H, ModelPixelScale: [10, 10, 0], ModelTiepoint: [0, 0, 0, 500000, 4649776, 0], ProjectedCSTypeGeoKey: 32633 }))
}

function paletteMask(): Buffer {
  const data = new Uint8Array(pattern(1, 3))
  const palette: [number, number, number][] = [[0, 0, 0], [128, 0, 0], [0, 128, 0], [128, 128, 0]]
  const png = encode({ width: W, height: H, data, channels: 1, depth: 8, palette })
  return Buffer.from(png)
}

/** Image seeds (decodeImage). */
export async function imageSeeds(): Promise<Seed[]> {
  return [
    { name: 'rgb.png', bytes: await raw8(3).png().toBuffer() },
    { name: 'rgba.png', bytes: await raw8(4).png().toBuffer() },
    { name: 'grey16.png', bytes: await raw16(1).png().toBuffer() },
    { name: 'photo.jpg', bytes: await raw8(3).jpeg().toBuffer() },
    { name: 'tile.webp', bytes: await raw8(3).webp().toBuffer() },
    { name: 'rgb.tif', bytes: await raw8(3).tiff().toBuffer() },
    { name: 'rgb16.tif', bytes: await raw16(3).tiff().toBuffer() },
    { name: 'bands4x16.tif', bytes: geoTiff(4, true) },
    { name: 'bands6x8.tif', bytes: geoTiff(6, false) },
  ]
}

/** Mask seeds (decodeMaskPng): index PNG, 1-bit PNG, VOC palette PNG. */
export function maskSeeds(): Seed[] {
  const idx = new Uint8Array(pattern(1, 2))
  const bits = new Uint8Array((W / 8) * H)
  pattern(1, 1).forEach((v, i) => (bits[i >> 3] |= v << (7 - (i % 8))))
  return [
    { name: 'index.png', bytes: Buffer.from(encode({ width: W, height: H, data: idx, channels: 1, depth: 8 })) },
    { name: 'bits.png', bytes: Buffer.from(encode({ width: W, height: H, data: bits, channels: 1, depth: 1 })) },
    { name: 'voc.png', bytes: paletteMask() },
  ]
}
