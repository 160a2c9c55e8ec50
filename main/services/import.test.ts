import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { api, AppError, type ImportResult } from '../../core/contract'
import { makeHost, maskPng, rgbPng, type TestHost } from './test-fixtures'

let t: TestHost
let images: string
let masks: string
beforeEach(async () => {
  t = makeHost()
  images = join(t.dir, 'bilder ü 画像')
  masks = join(t.dir, 'masks')
  mkdirSync(join(images, 'sub'), { recursive: true })
  mkdirSync(masks)
  await t.call('project:create', { path: join(t.dir, 'p.labelloop'), name: 'P', classes: [{ name: 'bg' }, { name: 'fg' }] })
})
afterEach(async () => {
  await t.cleanup()
})

function byName(list: { file: string }[]): string[] {
  return list.map((e) => e.file.slice(e.file.lastIndexOf('/') + 1)).sort()
}

describe('images:import', () => {
  it('imports a folder recursively, reporting corrupt, truncated and non-image files and bad masks', async () => {
    writeFileSync(join(images, 'a.png'), await rgbPng(32, 24, 1))
    writeFileSync(join(images, 'sub', 'b 雪.png'), await rgbPng(32, 24, 2))
    writeFileSync(join(images, 'c.jpg'), await sharp(await rgbPng(16, 16, 3)).jpeg().toBuffer())
    const tiff16 = new Uint16Array(16 * 16).map((_, i) => i * 250)
    const tiff = sharp(tiff16, { raw: { width: 16, height: 16, channels: 1 } }).toColourspace('grey16').tiff({ compression: 'lzw' })
    writeFileSync(join(images, 'd.tif'), await tiff.toBuffer())
    const full = await rgbPng(64, 64, 4)
    writeFileSync(join(images, 'truncated.png'), full.subarray(0, Math.floor(full.length / 2)))
    writeFileSync(join(images, 'corrupt.webp'), Buffer.from('RIFF....WEBPVP8 this is not really an image'))
    writeFileSync(join(images, 'notes.txt'), 'ignored inside a folder')
    writeFileSync(join(images, '.hidden.png'), await rgbPng(8, 8, 9))
    const given = join(t.dir, 'readme.md')
    writeFileSync(given, '# not an image')

    writeFileSync(join(masks, 'a.png'), await maskPng(32, 24, (x) => (x < 16 ? 0 : x < 20 ? 255 : 1)))
    writeFileSync(join(masks, 'b 雪.png'), await maskPng(31, 24, () => 0))
    writeFileSync(join(masks, 'c.png'), await maskPng(16, 16, (x) => (x === 0 ? 7 : 1)))
    writeFileSync(join(masks, 'orphan.png'), await maskPng(4, 4, () => 0))

    const result = api['images:import'].output.parse(
      await t.call('images:import', { jobId: 'j1', paths: [images, given], masksDir: masks }),
    ) as ImportResult
    expect(byName(result.imported)).toEqual(['a.png', 'b 雪.png', 'c.jpg', 'd.tif'])
    expect(result.failed.map((f) => [f.file.slice(f.file.lastIndexOf('/') + 1), f.code]).sort()).toEqual([
      ['corrupt.webp', 'DECODE_FAILED'],
      ['readme.md', 'DECODE_FAILED'],
      ['truncated.png', 'DECODE_FAILED'],
    ])
    for (const f of result.failed) expect(f.reason).toContain(f.file.slice(f.file.lastIndexOf('/') + 1))
    expect(result.skipped).toEqual([])
    expect(result.cancelled).toBe(false)

    expect(byName(result.masks.attached)).toEqual(['a.png'])
    const maskFailures = Object.fromEntries(result.masks.failed.map((f) => [f.file.slice(f.file.lastIndexOf('/') + 1), f]))
    expect(maskFailures['b 雪.png']).toMatchObject({ code: 'MASK_SIZE' })
    expect(maskFailures['b 雪.png'].reason).toMatch(/b 雪\.png is 31×24 .* 32×24/)
    expect(maskFailures['c.png']).toMatchObject({ code: 'MASK_CLASS' })
    expect(maskFailures['c.png'].reason).toMatch(/c\.png uses class index 7/)
    expect(maskFailures['orphan.png']).toMatchObject({ code: 'NOT_FOUND' })

    const list = await t.call('images:list', { sort: 'name', limit: 10 })
    expect(list.items.map((i) => [i.relPath, i.width, i.height, i.bands, i.bitDepth, i.status])).toEqual([
      ['a.png', 32, 24, 3, 8, 'partial'],
      ['sub/b 雪.png', 32, 24, 3, 8, 'unlabeled'],
      ['c.jpg', 16, 16, 3, 8, 'unlabeled'],
      ['d.tif', 16, 16, 1, 16, 'unlabeled'],
    ])
    const a = list.items[0]
    expect(a.classPixels).toEqual([16 * 24, 12 * 24])
    expect(a.labeledFraction).toBeCloseTo(28 / 32, 10)
    expect((await t.call('masks:revisions', { imageId: a.id })).map((r) => r.source)).toEqual(['import'])

    const thumb = await t.host.imageRendition(list.items[3].id, 'thumb')
    expect(thumb.mime).toMatch(/^image\//)
    expect((await sharp(thumb.bytes).metadata()).width).toBe(16)
    const display = await t.host.imageRendition(list.items[3].id, 'display')
    expect((await sharp(display.bytes).metadata()).format).toBe(display.mime.split('/')[1])
    await expect(t.host.imageRendition(9999, 'thumb')).rejects.toMatchObject({ code: 'NOT_FOUND' })

    const progress = t.events.filter((e) => e.name === 'import:progress').map((e) => e.payload as { done: number; total: number; jobId: string })
    expect(progress[0]).toMatchObject({ done: 0, total: 7, jobId: 'j1' })
    expect(progress.at(-1)).toMatchObject({ done: 7, total: 7, imported: 4, failed: 3 })
    const changed = t.events.filter((e) => e.name === 'project:changed' && (e.payload as { what: string }).what === 'images')
    expect(changed.flatMap((e) => (e.payload as { imageIds?: number[] }).imageIds ?? []).sort()).toEqual(result.imported.map((i) => i.id).sort())
  })

  it('skips identical content with the existing id and attaches a mask to an image that had none', async () => {
    const png = await rgbPng(20, 10, 5)
    writeFileSync(join(images, 'one.png'), png)
    const first = await t.call('images:import', { jobId: 'a', paths: [join(images, 'one.png')] })
    expect(first.imported).toHaveLength(1)
    writeFileSync(join(images, 'copy.png'), png)
    writeFileSync(join(masks, 'copy.png'), await maskPng(20, 10, () => 1))
    const second = await t.call('images:import', { jobId: 'b', paths: [join(images, 'copy.png'), join(images, 'one.png')], masksDir: masks })
    expect(second.imported).toEqual([])
    expect(second.skipped.map((s) => s.existingId)).toEqual([first.imported[0].id, first.imported[0].id])
    expect(second.skipped[0].reason).toContain('one.png')
    expect(second.masks.attached).toEqual([{ file: join(masks, 'copy.png'), imageId: first.imported[0].id }])
    expect((await t.call('images:get', { id: first.imported[0].id })).status).toBe('labeled')
  })

  it('reports a missing path and a missing masks folder', async () => {
    const result = await t.call('images:import', { jobId: 'm', paths: [join(t.dir, 'nowhere.png')] })
    expect(result.failed).toEqual([{ file: join(t.dir, 'nowhere.png'), code: 'NOT_FOUND', reason: expect.stringContaining('nowhere.png') }])
    await expect(t.call('images:import', { jobId: 'n', paths: [images], masksDir: join(t.dir, 'nomasks') })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('cancels between files and keeps what was imported', async () => {
    for (let i = 0; i < 6; i++) writeFileSync(join(images, `img-${i}.png`), await rgbPng(16, 16, 10 + i))
    t.host.onEvent((name, payload) => {
      if (name === 'import:progress' && (payload as { done: number }).done === 2) void t.call('images:cancelImport', { jobId: 'c' })
    })
    const result = await t.call('images:import', { jobId: 'c', paths: [images] })
    expect(result.cancelled).toBe(true)
    expect(result.imported).toHaveLength(2)
    expect((await t.call('images:list', {})).total).toBe(2)
    expect(await t.call('images:cancelImport', { jobId: 'c' })).toBeNull()
  })

  it('refuses a second import while one is running', async () => {
    for (let i = 0; i < 3; i++) writeFileSync(join(images, `img-${i}.png`), await rgbPng(16, 16, 20 + i))
    const running = t.call('images:import', { jobId: 'x', paths: [images] })
    const busy = await t.call('images:import', { jobId: 'y', paths: [images] }).catch((err: AppError) => err.code)
    expect(busy).toBe('BUSY')
    expect((await running).imported).toHaveLength(3)
  })
})
