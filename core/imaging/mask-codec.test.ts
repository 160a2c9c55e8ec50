import { encode } from 'fast-png'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { AppError } from '../contract'
import { contentHash, decodeMaskPng, encodeMaskPng, maskClassCounts } from './index'

function pattern(width: number, height: number, values: number[]): Uint8Array {
  const data = new Uint8Array(width * height)
  for (let i = 0; i < data.length; i++) data[i] = values[(i * 7 + Math.floor(i / width)) % values.length]
  return data
}

function refused(bytes: Uint8Array, name: string): AppError {
  let caught: unknown = null
  try {
    decodeMaskPng(bytes, name)
  } catch (err) {
    caught = err
  }
  expect(caught).toBeInstanceOf(AppError)
  const err = caught as AppError
  expect(err.code).toBe('DECODE_FAILED')
  expect(err.file).toBe(name)
  expect(err.message.startsWith(`${name}: `)).toBe(true)
  expect(err.message).toMatch(/single-channel 8-bit grey or palette/)
  return err
}

describe('mask codec', () => {
  it('round-trips class indices, including 255, through an indexed PNG', async () => {
    const data = pattern(37, 23, [0, 1, 2, 3, 255, 254, 17])
    const png = encodeMaskPng(data, 37, 23)
    const back = decodeMaskPng(png, 'm.png')
    expect([back.width, back.height]).toEqual([37, 23])
    expect(Array.from(back.data)).toEqual(Array.from(data))
    // Other tools see an 8-bit palette image with distinct colours per index.
    const meta = await sharp(png).metadata()
    expect([meta.isPalette, meta.bitsPerSample, meta.width, meta.height]).toEqual([true, 8, 37, 23])
    const rgb = await sharp(png).raw().toBuffer()
    const colourOf = (v: number): string => {
      const i = data.indexOf(v)
      return Array.from(rgb.subarray(i * 3, i * 3 + 3)).join(',')
    }
    const colours = [0, 1, 2, 3, 254, 17, 255].map(colourOf)
    expect(new Set(colours).size).toBe(colours.length)
    expect(colourOf(255)).toBe('128,128,128')
  })

  it('reads palette PNGs by index, never by colour (Pascal VOC style)', () => {
    const data = pattern(16, 9, [0, 1, 2, 255])
    // Two indices share one colour: only the index may decide the class.
    const palette = Array.from({ length: 256 }, (_, i): number[] => (i === 2 ? [10, 20, 30] : [10, 20, 30 + (i % 5)]))
    const png = encode({ width: 16, height: 9, data, channels: 1, depth: 8, palette })
    expect(Array.from(decodeMaskPng(png, 'voc.png').data)).toEqual(Array.from(data))
  })

  it('reads 8-bit and low-bit-depth grey and 4-bit palette PNGs', () => {
    const grey = pattern(10, 6, [0, 3, 255])
    expect(Array.from(decodeMaskPng(encode({ width: 10, height: 6, data: grey, channels: 1, depth: 8 }), 'g.png').data)).toEqual(Array.from(grey))
    // 4-bit palette: two pixels per byte, rows padded to whole bytes (width 5 → 3 bytes a row).
    const packed = new Uint8Array([0x12, 0x30, 0x40, 0x56, 0x70, 0x10])
    const pal4 = encode({ width: 5, height: 2, data: packed, channels: 1, depth: 4, palette: Array.from({ length: 16 }, () => [0, 0, 0]) })
    expect(Array.from(decodeMaskPng(pal4, 'p4.png').data)).toEqual([1, 2, 3, 0, 4, 5, 6, 7, 0, 1])
    const bits = encode({ width: 3, height: 1, data: new Uint8Array([0b10100000]), channels: 1, depth: 1 })
    expect(Array.from(decodeMaskPng(bits, 'b.png').data)).toEqual([1, 0, 1])
  })

  it('refuses RGB, RGBA, grey+alpha and 16-bit masks, naming the kind', async () => {
    const rgb = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#ff0000' } }).png().toBuffer()
    expect(refused(rgb, 'rgb.png').message).toMatch(/RGB PNG/)
    const rgba = encode({ width: 2, height: 2, data: new Uint8Array(16), channels: 4, depth: 8 })
    expect(refused(rgba, 'rgba.png').message).toMatch(/RGBA PNG/)
    expect(refused(encode({ width: 2, height: 2, data: new Uint8Array(8), channels: 2, depth: 8 }), 'ga.png').message).toMatch(/grey\+alpha/)
    const deep = encode({ width: 2, height: 2, data: new Uint16Array([0, 1, 2, 3]), channels: 1, depth: 16 })
    expect(refused(deep, 'deep.png').message).toMatch(/16-bit/)
  })

  it('refuses corrupt, truncated, empty and non-PNG files', async () => {
    const png = encodeMaskPng(pattern(64, 64, [0, 1, 2]), 64, 64)
    expect(refused(png.subarray(0, png.length - 30), 'cut.png').message).toMatch(/not a valid PNG mask/)
    const flipped = Buffer.from(png)
    flipped[png.length - 40] ^= 0xff
    refused(flipped, 'crc.png')
    refused(new Uint8Array(0), 'empty.png')
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).jpeg().toBuffer()
    refused(jpeg, 'photo.jpg')
  })

  it('counts pixels per class, labeled pixels and unknown indices', () => {
    const data = new Uint8Array([0, 0, 1, 2, 255, 255, 7, 4, 7, 3])
    expect(maskClassCounts(data, 3)).toEqual({ classPixels: [2, 1, 1], labeled: 8, unknown: [3, 4, 7] })
    expect(maskClassCounts(new Uint8Array([255, 255]), 2)).toEqual({ classPixels: [0, 0], labeled: 0, unknown: [] })
  })

  it('rejects data whose length does not match the size', () => {
    expect(() => encodeMaskPng(new Uint8Array(5), 2, 2)).toThrow(/2×2/)
  })
})

describe('contentHash', () => {
  it('is the SHA-256 hex digest', () => {
    expect(contentHash(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(contentHash(Buffer.from('abd'))).not.toBe(contentHash(Buffer.from('abc')))
  })
})
