import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { AppError } from '../contract'
import { decodeImage, isImageFileName, readPixels, THUMBNAIL_SIZE } from './index'

const W = 300
const H = 200

/** A smooth gradient per channel so every format (lossy too) has structure; 8-bit or 16-bit samples. */
function gradient(channels: number, bits: 8 | 16, low = 0, high = bits === 8 ? 255 : 65535): Uint8Array | Uint16Array {
  const data = bits === 8 ? new Uint8Array(W * H * channels) : new Uint16Array(W * H * channels)
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (let c = 0; c < channels; c++) {
        const t = c % 2 === 0 ? x / (W - 1) : y / (H - 1)
        data[(y * W + x) * channels + c] = Math.round(low + t * (high - low))
      }
    }
  }
  return data
}

type Fmt = 'png' | 'jpeg' | 'webp' | 'tiff'

async function make(fmt: Fmt, channels: 1 | 2 | 3 | 4, bits: 8 | 16, low?: number, high?: number): Promise<Buffer> {
  const space = bits === 16 ? (channels <= 2 ? 'grey16' : 'rgb16') : channels <= 2 ? 'b-w' : 'srgb'
  const s = sharp(gradient(channels, bits, low, high), { raw: { width: W, height: H, channels } }).toColourspace(space)
  if (fmt === 'png') return s.png().toBuffer()
  if (fmt === 'jpeg') return s.jpeg().toBuffer()
  if (fmt === 'webp') return s.webp({ lossless: true }).toBuffer()
  return s.tiff({ compression: 'lzw' }).toBuffer()
}

/** A minimal little-endian, uncompressed, one-strip 32-bit float TIFF (sharp cannot write one). */
function floatTiff(width: number, height: number, channels: 1 | 3, data: Float32Array): Buffer {
  const dataOffset = 8 + 2 + 11 * 12 + 4
  // [tag, type (3 short, 4 long), value]; 273 is the strip offset, 339 = 3 marks IEEE float samples.
  const tags: [number, 3 | 4, number][] = [
    [256, 4, width], [257, 4, height], [258, 3, 32], [259, 3, 1], [262, 3, channels === 1 ? 1 : 2],
    [273, 4, dataOffset], [277, 3, channels], [278, 4, height], [279, 4, data.byteLength], [284, 3, 1], [339, 3, 3],
  ]
  const buf = Buffer.alloc(dataOffset + data.byteLength)
  buf.write('II', 0, 'latin1')
  buf.writeUInt16LE(42, 2)
  buf.writeUInt32LE(8, 4)
  buf.writeUInt16LE(tags.length, 8)
  tags.forEach(([tag, type, value], k) => {
    const o = 10 + k * 12
    buf.writeUInt16LE(tag, o)
    buf.writeUInt16LE(type, o + 2)
    buf.writeUInt32LE(1, o + 4)
    if (type === 3) buf.writeUInt16LE(value, o + 8)
    else buf.writeUInt32LE(value, o + 8)
  })
  Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(buf, dataOffset)
  return buf
}

async function decodeFails(bytes: Buffer, name: string): Promise<AppError> {
  const err = await decodeImage(bytes, name).then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(AppError)
  const app = err as AppError
  expect(app.code).toBe('DECODE_FAILED')
  expect(app.file).toBe(name)
  expect(app.message.startsWith(`${name}: `)).toBe(true)
  return app
}

async function range(png: Buffer): Promise<{ min: number; max: number; channels: number }> {
  const { channels } = await sharp(png).metadata()
  const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true })
  let min = 255
  let max = 0
  for (const v of data) {
    if (v < min) min = v
    if (v > max) max = v
  }
  return { min, max, channels }
}

describe('isImageFileName', () => {
  it('accepts the supported extensions in any case and nothing else', () => {
    for (const n of ['a.png', 'B.JPG', 'c.jpeg', 'd.Tif', 'e.tiff', 'f.webp', 'dir/x.y.PNG']) expect(isImageFileName(n)).toBe(true)
    for (const n of ['a.gif', 'b.txt', 'png', 'c.png.bak', 'd.bmp', '.tiffany']) expect(isImageFileName(n)).toBe(false)
  })
})

describe('decodeImage', () => {
  const cases: [Fmt, 1 | 2 | 3 | 4, 8 | 16][] = []
  for (const ch of [1, 2, 3, 4] as const) {
    cases.push(['png', ch, 8], ['png', ch, 16], ['tiff', ch, 8], ['tiff', ch, 16])
  }
  cases.push(['jpeg', 1, 8], ['jpeg', 3, 8], ['webp', 3, 8], ['webp', 4, 8])

  it.each(cases)('decodes %s with %i channel(s) at %i bits', async (fmt, channels, bits) => {
    const bytes = await make(fmt, channels, bits)
    const name = `img-${channels}.${fmt}`
    const d = await decodeImage(bytes, name)
    expect([d.width, d.height, d.format, d.bitDepth]).toEqual([W, H, fmt, bits])
    // WebP has no grey mode: libwebp always stores colour.
    expect(d.bands).toBe(fmt === 'webp' ? Math.max(3, channels) : channels)
    const shown = await sharp(d.display).metadata()
    expect([shown.width, shown.height]).toEqual([W, H])
    const direct = bits === 8 && fmt !== 'tiff' && channels !== 2
    expect(d.display === bytes).toBe(direct)
    expect(d.displayMime).toBe(direct ? `image/${fmt}` : 'image/png')
    if (!direct) expect(shown.channels).toBe(channels <= 2 ? 1 : channels)
    const thumb = await sharp(d.thumbnail).metadata()
    expect(thumb.format).toBe('webp')
    expect(d.thumbnailMime).toBe('image/webp')
    expect([thumb.width, thumb.height]).toEqual([THUMBNAIL_SIZE, Math.round((THUMBNAIL_SIZE * H) / W)])
  })

  it('stretches a narrow 16-bit range to a full 0..255 display', async () => {
    for (const channels of [1, 3] as const) {
      const bytes = await make('png', channels, 16, 1200, 1900)
      const d = await decodeImage(bytes, 'narrow.png')
      const r = await range(d.display)
      expect(r).toEqual({ min: 0, max: 255, channels: channels === 1 ? 1 : 3 })
    }
    const tiff = await decodeImage(await make('tiff', 1, 16, 300, 400), 'narrow.tif')
    expect(await range(tiff.display)).toEqual({ min: 0, max: 255, channels: 1 })
  })

  it('decodes 32-bit float TIFFs and stretches them for display', async () => {
    for (const channels of [1, 3] as const) {
      const data = new Float32Array(W * H * channels)
      for (let i = 0; i < data.length; i++) data[i] = -2.5 + (i % 997) * 0.01
      const d = await decodeImage(floatTiff(W, H, channels, data), 'float.tif')
      expect([d.width, d.height, d.bands, d.bitDepth, d.format]).toEqual([W, H, channels, 32, 'tiff'])
      expect(await range(d.display)).toEqual({ min: 0, max: 255, channels })
    }
  })

  it('does not rotate EXIF-oriented JPEGs, so masks match the stored pixel grid', async () => {
    const bytes = await sharp(gradient(3, 8), { raw: { width: W, height: H, channels: 3 } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer()
    const d = await decodeImage(bytes, 'rotated.jpg')
    expect(d.displayMime).toBe('image/png')
    const shown = await sharp(d.display).metadata()
    expect([d.width, d.height, shown.width, shown.height, shown.orientation]).toEqual([W, H, W, H, undefined])
  })

  it('keeps a small image at its own size in the thumbnail', async () => {
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#336699' } }).png().toBuffer()
    const thumb = await sharp((await decodeImage(png, 'small.png')).thumbnail).metadata()
    expect([thumb.width, thumb.height]).toEqual([40, 30])
  })

  it('rejects truncated PNG and JPEG files, naming them', async () => {
    for (const fmt of ['png', 'jpeg'] as const) {
      const bytes = await make(fmt, 3, 8)
      const name = `cut.${fmt}`
      const err = await decodeFails(bytes.subarray(0, Math.floor(bytes.length * 0.7)), name)
      expect(err.message).toMatch(/corrupt or truncated/)
    }
  })

  it('rejects random bytes, a text file, an empty file and an unsupported format', async () => {
    let seed = 7
    const noise = Buffer.alloc(4096)
    for (let i = 0; i < noise.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0
      noise[i] = seed >>> 24
    }
    expect((await decodeFails(noise, 'noise.png')).message).toMatch(/not a readable image/)
    expect((await decodeFails(Buffer.from('just some notes\n', 'utf8'), 'notes.jpg')).message).toMatch(/not a readable image/)
    expect((await decodeFails(Buffer.alloc(0), 'empty.png')).message).toMatch(/empty/)
    const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#ff0000' } }).gif().toBuffer()
    expect((await decodeFails(gif, 'anim.gif')).message).toMatch(/unsupported image format "gif"/)
  })
})

describe('readPixels', () => {
  it('returns the exact 16-bit samples', async () => {
    const src = gradient(3, 16, 1000, 60000)
    for (const fmt of ['png', 'tiff'] as const) {
      const px = await readPixels(await make(fmt, 3, 16, 1000, 60000), `p.${fmt}`)
      expect([px.width, px.height, px.channels, px.bitDepth]).toEqual([W, H, 3, 16])
      expect(px.data).toBeInstanceOf(Uint16Array)
      expect(Array.from(px.data)).toEqual(Array.from(src))
    }
  })

  it('returns float samples of a float TIFF unchanged', async () => {
    const data = new Float32Array(W * H * 3)
    for (let i = 0; i < data.length; i++) data[i] = i * 0.25 - 1000
    const px = await readPixels(floatTiff(W, H, 3, data), 'f.tif')
    expect([px.channels, px.bitDepth]).toEqual([3, 32])
    expect(px.data).toBeInstanceOf(Float32Array)
    expect(Array.from(px.data)).toEqual(Array.from(data))
  })

  it('returns 8-bit grey and grey+alpha samples without colour conversion', async () => {
    for (const channels of [1, 2] as const) {
      const px = await readPixels(await make('png', channels, 8), 'g.png')
      expect(px.channels).toBe(channels)
      expect(px.data).toBeInstanceOf(Uint8Array)
      expect(Array.from(px.data)).toEqual(Array.from(gradient(channels, 8)))
    }
  })
})
