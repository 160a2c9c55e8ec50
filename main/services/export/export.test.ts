import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { encode } from 'fast-png'
import { writeArrayBuffer } from 'geotiff'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '../../../core/contract'
import { parseCocoJson } from '../../../core/formats'
import { decodeGeoTiff, decodeMaskPng, readPixels } from '../../../core/imaging'
import { ProjectStore } from '../../../core/project'
import { makeHost, rgbPng, type TestHost } from '../test-fixtures'

const W = 12
const H = 8
const CLASSES = [{ name: 'bg' }, { name: 'Road' }, { name: 'car' }]

let t: TestHost
let ids: number[]

function png(data: Uint8Array, w = W, h = H, palette = false): Buffer {
  const bytes = encode({ width: w, height: h, data, channels: 1, depth: 8, ...(palette ? { palette: Array.from({ length: 256 }, (_, i) => [i, 255 - i, (i * 3) % 256] as [number, number, number]) } : {}) })
  return Buffer.from(bytes)
}

/** Distinct masks per image: unlabeled top row, then stripes that depend on the image. */
function maskOf(k: number): Uint8Array {
  return Uint8Array.from({ length: W * H }, (_, i) => (i < W ? 255 : (Math.floor((i % W) / (k + 2)) + Math.floor(i / W)) % 3))
}

async function save(imageId: number, data: Uint8Array, source: 'human' | 'pseudo-accepted' = 'human'): Promise<void> {
  await t.call('masks:save', { imageId, pngBase64: png(data).toString('base64'), source })
}

async function currentMask(host: TestHost, imageId: number): Promise<number[] | null> {
  const m = await host.call('masks:get', { imageId })
  return m.pngBase64 === null ? null : Array.from(decodeMaskPng(Buffer.from(m.pngBase64, 'base64'), 'm').data)
}

/** Writes the same three images into `dir` (sub/a.png, b.png, c.png) and imports them. */
async function importImages(host: TestHost, root: string): Promise<number[]> {
  mkdirSync(join(root, 'sub'), { recursive: true })
  const files = [join(root, 'sub', 'a.png'), join(root, 'b.png'), join(root, 'c.png')]
  for (const [k, f] of files.entries()) writeFileSync(f, await rgbPng(W, H, k))
  const r = await host.call('images:import', { jobId: 'j', paths: [root] })
  const byName = new Map(r.imported.map((i) => [i.file.replace(/\\/g, '/'), i.id]))
  return ['sub/a.png', 'b.png', 'c.png'].map((n) => [...byName].find(([f]) => f.endsWith(n))![1])
}

beforeEach(async () => {
  t = makeHost()
  await t.call('project:create', { path: join(t.dir, 'p.labelloop'), name: 'P', classes: CLASSES })
  ids = await importImages(t, join(t.dir, 'images'))
})
afterEach(async () => {
  await t.cleanup()
})

/** A second project over the same image files, to import into. */
async function freshProject(classes = CLASSES): Promise<{ other: TestHost; otherIds: number[] }> {
  const other = makeHost()
  await other.call('project:create', { path: join(other.dir, 'q.labelloop'), name: 'Q', classes })
  return { other, otherIds: await importImages(other, join(other.dir, 'images')) }
}

describe('export:run then labels:import', () => {
  it('index PNGs round-trip, named after the images, pseudo-labels chosen by source', async () => {
    await save(ids[0], maskOf(0))
    await save(ids[1], maskOf(1), 'pseudo-accepted')
    const dir = join(t.dir, 'out-index')
    const res = await t.call('export:run', { dir, format: 'index', source: 'human' })
    expect(res.written).toBe(1)
    expect(res.files).toEqual(['sub/a.png', 'labelloop-labels.json'])
    expect(res.skipped.map((s) => [s.imageId, s.reason])).toEqual([
      [ids[1], 'its current mask is an accepted pseudo-label'],
      [ids[2], 'no mask'],
    ])
    const both = await t.call('export:run', { dir: join(t.dir, 'out-both'), format: 'index', source: 'both' })
    expect(both.files.sort()).toEqual(['b.png', 'labelloop-labels.json', 'sub/a.png'])
    // A plain greyscale PNG whose values are the class indices.
    const raw = readFileSync(join(t.dir, 'out-both', 'b.png'))
    expect(decodeMaskPng(raw, 'b.png').data).toEqual(maskOf(1))

    const { other, otherIds } = await freshProject()
    try {
      const report = await other.call('labels:import', { path: join(t.dir, 'out-both'), format: 'png' })
      expect(report).toEqual({ attached: [{ file: 'b.png', imageId: otherIds[1] }, { file: 'sub/a.png', imageId: otherIds[0] }], unmapped: [], unmatched: [], failed: [] })
      expect(await currentMask(other, otherIds[0])).toEqual(Array.from(maskOf(0)))
      expect(await currentMask(other, otherIds[1])).toEqual(Array.from(maskOf(1)))
      expect((await other.call('masks:revisions', { imageId: otherIds[0] }))[0].source).toBe('import')
    } finally {
      await other.cleanup()
    }
  })

  it('COCO round-trips into a project whose classes are ordered differently', async () => {
    for (const k of [0, 1, 2]) await save(ids[k], maskOf(k))
    const res = await t.call('export:run', { dir: join(t.dir, 'coco'), format: 'coco', source: 'both' })
    expect([res.written, res.files]).toEqual([3, ['annotations.json']])
    const ds = parseCocoJson(readFileSync(join(t.dir, 'coco', 'annotations.json'), 'utf8'), 'a.json')
    expect(ds.images.map((i) => i.file_name).sort()).toEqual(['b.png', 'c.png', 'sub/a.png'])
    expect(ds.annotations).toHaveLength(9)

    const { other, otherIds } = await freshProject([{ name: 'CAR' }, { name: 'bg' }, { name: 'road' }])
    try {
      const report = await other.call('labels:import', { path: join(t.dir, 'coco', 'annotations.json'), format: 'coco' })
      expect(report.attached).toHaveLength(3)
      expect([report.unmapped, report.unmatched, report.failed]).toEqual([[], [], []])
      const swap = [1, 2, 0] // old index → new index (bg 0→1, Road 1→2, car 2→0)
      for (const k of [0, 1, 2]) {
        expect(await currentMask(other, otherIds[k])).toEqual(Array.from(maskOf(k), (v) => (v === 255 ? 255 : swap[v])))
      }
    } finally {
      await other.cleanup()
    }
  })

  it('colour export writes RGBA PNGs and a legend', async () => {
    await save(ids[2], maskOf(2))
    const res = await t.call('export:run', { dir: join(t.dir, 'colour'), format: 'color', source: 'both' })
    expect(res.files).toEqual(['c.png', 'labelloop-labels.json', 'legend.png'])
    const legend = readFileSync(join(t.dir, 'colour', 'legend.png'))
    expect(legend.subarray(1, 4).toString()).toBe('PNG')
    await expect(t.call('labels:import', { path: join(t.dir, 'colour'), format: 'png' })).rejects.toThrow(/colour renderings, which are not labels/)
  })
})

describe('labels:import reports', () => {
  it('reports unmapped VOC classes, unmatched files and failures, keeping mapped pixels', async () => {
    const dir = join(t.dir, 'voc', 'SegmentationClass')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(t.dir, 'voc', 'labelmap.txt'), '# label:color_rgb:parts:actions\nBG:0,0,0::\ncar:0,0,128::\ntree:0,128,0::\n')
    const voc = Uint8Array.from({ length: W * H }, (_, i) => (i % W < 4 ? 0 : i % W < 8 ? 1 : i % W < 11 ? 2 : 255))
    writeFileSync(join(dir, 'b.png'), png(voc, W, H, true))
    writeFileSync(join(dir, 'nowhere.png'), png(voc, W, H, true))
    writeFileSync(join(dir, 'c.png'), png(new Uint8Array(4), 2, 2, true))
    const report = await t.call('labels:import', { path: dir, format: 'png' })
    expect(report.attached).toEqual([{ file: 'b.png', imageId: ids[1] }])
    expect(report.unmapped).toEqual([{ name: 'tree', sourceId: 2, annotations: null, pixels: 3 * H }])
    expect(report.unmatched).toEqual([{ file: 'nowhere.png', reason: 'no project image has this file name' }])
    expect(report.failed.map((f) => [f.file, f.code])).toEqual([['c.png', 'MASK_SIZE']])
    // BG → bg (0, case-insensitive), car → car (2), tree → unlabeled.
    expect(await currentMask(t, ids[1])).toEqual(Array.from(voc, (v) => [0, 2, 255][v] ?? 255))
  })

  it('reports COCO categories the project does not have', async () => {
    const file = join(t.dir, 'instances.json')
    writeFileSync(file, JSON.stringify({
      images: [{ id: 1, file_name: 'B.jpg', width: W, height: H }],
      categories: [{ id: 1, name: 'road' }, { id: 2, name: 'building' }],
      annotations: [
        { id: 1, image_id: 1, category_id: 1, segmentation: [[0, 0, 6, 0, 6, 8, 0, 8]] },
        { id: 2, image_id: 1, category_id: 2, segmentation: [[6, 0, 12, 0, 12, 8, 6, 8]] },
        { id: 3, image_id: 1, category_id: 2, bbox: [0, 0, 1, 1] },
      ],
    }))
    const report = await t.call('labels:import', { path: file, format: 'coco' })
    expect(report.attached).toEqual([{ file: 'B.jpg', imageId: ids[1] }])
    expect(report.unmapped).toEqual([{ name: 'building', sourceId: 2, annotations: 2, pixels: null }])
    expect(await currentMask(t, ids[1])).toEqual(Array.from({ length: W * H }, (_, i) => (i % W < 6 ? 1 : 255)))
  })

  it('a corrupt COCO file fails with an error naming the file', async () => {
    const file = join(t.dir, 'broken.json')
    writeFileSync(file, '{"images": [], "annotations": [')
    const err = await t.call('labels:import', { path: file, format: 'coco' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect(err).toMatchObject({ code: 'DECODE_FAILED', file })
    expect((err as AppError).message).toContain(`${file}: not valid JSON`)
  })
})

describe('GeoTIFF export', () => {
  it('the mask of a 4-band 16-bit GeoTIFF exports as a georeferenced GeoTIFF beside the PNG', async () => {
    const data = new Uint16Array(W * H * 4)
    for (let i = 0; i < data.length; i++) data[i] = (i * 997) % 65536
    const tif = join(t.dir, 'geo', 'scene.tif')
    mkdirSync(join(t.dir, 'geo'))
    writeFileSync(tif, Buffer.from(writeArrayBuffer(data, {
      width: W, height: H, ModelPixelScale: [0.5, 0.5, 0], ModelTiepoint: [0, 0, 0, 356000, 5645000, 0],
      ProjectedCSTypeGeoKey: 25832, GTModelTypeGeoKey: 1, GTRasterTypeGeoKey: 1,
    })))
    const r = await t.call('images:import', { jobId: 'geo', paths: [tif] })
    expect(r.failed).toEqual([])
    const id = r.imported[0].id
    expect(await t.call('images:get', { id })).toMatchObject({ bands: 4, bitDepth: 16 })
    await save(id, maskOf(1))
    const res = await t.call('export:run', { dir: join(t.dir, 'geo-out'), format: 'index', source: 'human' })
    expect(res.files).toEqual(['scene.png', 'scene.tif', 'labelloop-labels.json'])
    const back = await decodeGeoTiff(readFileSync(join(t.dir, 'geo-out', 'scene.tif')), 'scene.tif')
    expect([back.bands, back.bitDepth]).toEqual([1, 8])
    expect(back.data[0]).toEqual(maskOf(1))
    expect(back.georef).toMatchObject({ modelPixelScale: [0.5, 0.5, 0], modelTiepoint: [0, 0, 0, 356000, 5645000, 0], epsg: 25832 })
  })
})

describe('multiband import', () => {
  it.each([4, 5, 8])('a %i-band 16-bit GeoTIFF imports with all its bands and exact pixel values', async (bands) => {
    const data = new Uint16Array(W * H * bands)
    for (let i = 0; i < data.length; i++) data[i] = (i * 7919 + bands) % 65536
    const tif = join(t.dir, `bands${bands}.tif`)
    writeFileSync(tif, Buffer.from(writeArrayBuffer(data, { width: W, height: H, ModelPixelScale: [1, 1, 0], ModelTiepoint: [0, 0, 0, 0, 0, 0], ProjectedCSTypeGeoKey: 32632 })))
    const r = await t.call('images:import', { jobId: `b${bands}`, paths: [tif] })
    expect(r.failed).toEqual([])
    const id = r.imported[0].id
    expect(await t.call('images:get', { id })).toMatchObject({ width: W, height: H, bands, bitDepth: 16 })
    await t.call('project:close', {})
    const store = ProjectStore.open(join(t.dir, 'p.labelloop'))
    try {
      const px = await readPixels(store.images.original(id).original, `bands${bands}.tif`)
      expect([px.channels, px.bitDepth]).toEqual([bands, 16])
      expect(Array.from(px.data)).toEqual(Array.from(data))
    } finally {
      store.close()
    }
  })
})
