import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeArrayBuffer } from 'geotiff'
import sharp from 'sharp'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError, tileGrid } from '../../../core/contract'
import { makeHost, rgbPng, type TestHost } from '../test-fixtures'

const W = 16
const H = 10
let t: TestHost

beforeEach(async () => {
  t = makeHost()
  await t.call('project:create', { path: join(t.dir, 'p.labelloop'), name: 'P', classes: [{ name: 'bg' }, { name: 'fg' }] })
})
afterEach(async () => {
  await t.cleanup()
})

/** A 5-band 16-bit TIFF: band 3 bright on the left half, every other band bright on the right. */
function fiveBand(seed: number): Buffer {
  const data = new Uint16Array(W * H * 5)
  for (let i = 0; i < W * H; i++) {
    const left = i % W < W / 2
    for (let b = 0; b < 5; b++) data[i * 5 + b] = ((b === 3) === left ? 50000 : 300) + b + seed
  }
  return Buffer.from(writeArrayBuffer(data, { width: W, height: H }))
}

async function importFile(name: string, bytes: Buffer): Promise<number> {
  const file = join(t.dir, name)
  writeFileSync(file, bytes)
  const r = await t.call('images:import', { jobId: name, paths: [file] })
  expect(r.failed).toEqual([])
  return r.imported[0].id
}

/** RGB of the display rendition's first (left) and last (right) pixel of the top row. */
async function shown(id: number, rendition: 'display' | 'thumb' = 'display'): Promise<number[][]> {
  const { bytes } = await t.host.imageRendition(id, rendition)
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  const last = (info.width - 1) * info.channels
  return [Array.from(data.subarray(0, 3)), Array.from(data.subarray(last, last + 3))]
}

describe('display:setBands', () => {
  it('redraws multiband images with the chosen bands, keeps others, and applies to later imports', async () => {
    const multi = await importFile('m.tif', fiveBand(0))
    const rgb = await importFile('rgb.png', await rgbPng(W, H, 1))
    const rgbBefore = await t.host.imageRendition(rgb, 'display')
    expect(await t.call('display:getBands', {})).toEqual({ bands: null, multibandImages: 1, maxBands: 5 })
    expect(await shown(multi)).toEqual([[0, 0, 0], [255, 255, 255]])

    t.events.length = 0
    const res = await t.call('display:setBands', { bands: [3, 0, 4] })
    expect(res).toEqual({ bands: [3, 0, 4], multibandImages: 1, maxBands: 5, regenerated: 1 })
    expect(t.events).toEqual([{ name: 'project:changed', payload: { what: 'images', imageIds: [multi] } }])
    expect(await shown(multi)).toEqual([[255, 0, 0], [0, 255, 255]])
    // The thumbnail is lossy WebP: within a few levels of the display.
    const thumb = (await shown(multi, 'thumb')).flat()
    ;[255, 0, 0, 0, 255, 255].forEach((v, i) => expect(Math.abs(thumb[i] - v)).toBeLessThan(4))
    expect((await t.host.imageRendition(rgb, 'display')).bytes.equals(rgbBefore.bytes)).toBe(true)

    const later = await importFile('later.tif', fiveBand(7))
    expect(await shown(later)).toEqual([[255, 0, 0], [0, 255, 255]])

    await t.call('project:close', {})
    await t.call('project:open', { path: join(t.dir, 'p.labelloop') })
    expect(await t.call('display:getBands', {})).toEqual({ bands: [3, 0, 4], multibandImages: 2, maxBands: 5 })
  })

  it('rejects bands that are not three small integers', async () => {
    await expect(t.call('display:setBands', { bands: [0, 1] as unknown as [number, number, number] })).rejects.toThrow(/Invalid input for display:setBands/)
  })
})

describe('images:tile', () => {
  it('cuts full-resolution and downsampled tiles of the display, clipped at the edges', async () => {
    const [w, h] = [1200, 700]
    const raw = Buffer.alloc(w * h * 3)
    for (let i = 0; i < w * h; i++) {
      raw[i * 3] = (i % w) < 600 ? 200 : 20
      raw[i * 3 + 1] = Math.floor(i / w) < 350 ? 180 : 40
      raw[i * 3 + 2] = 90
    }
    const id = await importFile('big.png', await sharp(raw, { raw: { width: w, height: h, channels: 3 } }).png().toBuffer())
    const grid = tileGrid(w, h)
    expect(grid.levels).toBe(3)
    expect(grid.level(0)).toEqual({ width: 1200, height: 700, cols: 3, rows: 2 })
    expect(grid.level(2)).toEqual({ width: 300, height: 175, cols: 1, rows: 1 })

    const edge = await t.call('images:tile', { id, level: 0, x: 2, y: 1 })
    expect([edge.width, edge.height, edge.source, edge.mime]).toEqual([176, 188, [1024, 512, 176, 188], 'image/webp'])
    const px = await sharp(Buffer.from(edge.bytesBase64, 'base64')).raw().toBuffer({ resolveWithObject: true })
    expect([px.info.width, px.info.height]).toEqual([176, 188])
    // Right of x = 600 and below y = 350: red 20, green 40, blue 90 (WebP is lossy: within a few levels).
    for (const [c, v] of [[0, 20], [1, 40], [2, 90]]) expect(Math.abs(px.data[100 * 176 * 3 + 50 * 3 + c] - v)).toBeLessThan(6)

    const overview = await t.call('images:tile', { id, level: 2, x: 0, y: 0 })
    expect([overview.width, overview.height, overview.source]).toEqual([300, 175, [0, 0, 1200, 700]])
    expect(await t.call('images:tile', { id, level: 2, x: 0, y: 0 })).toBe(overview)

    const outside = await t.call('images:tile', { id, level: 0, x: 3, y: 0 }).catch((e: unknown) => e)
    expect(outside).toBeInstanceOf(AppError)
    expect(outside).toMatchObject({ code: 'INVALID_INPUT' })
    await expect(t.call('images:tile', { id, level: 3, x: 0, y: 0 })).rejects.toThrow(/tile levels 0..2/)
    await expect(t.call('images:tile', { id: 999, level: 0, x: 0, y: 0 })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })
})
