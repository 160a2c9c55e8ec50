import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { api } from '../../core/contract'
import { decodeMaskPng } from '../../core/imaging'
import { makeHost, maskPng, rgbPng, type TestHost } from './test-fixtures'

let t: TestHost
let ids: number[]
beforeEach(async () => {
  t = makeHost()
  await t.call('project:create', { path: join(t.dir, 'm.labelloop'), name: 'M', classes: [{ name: 'bg' }, { name: 'road' }, { name: 'car' }] })
  const files: string[] = []
  for (let i = 0; i < 3; i++) {
    const file = join(t.dir, `tile-${i}.png`)
    writeFileSync(file, await rgbPng(10, 8, i))
    files.push(file)
  }
  ids = (await t.call('images:import', { jobId: 'setup', paths: files })).imported.map((i) => i.id)
})
afterEach(async () => {
  await t.cleanup()
})

describe('masks', () => {
  it('round-trips a saved mask and keeps every revision', async () => {
    const empty = await t.call('masks:get', { imageId: ids[0] })
    expect(empty).toEqual({ imageId: ids[0], width: 10, height: 8, pngBase64: null, revisionId: null })

    const png = await maskPng(10, 8, (x, y) => (y < 2 ? 255 : x < 3 ? 2 : 1))
    const saved = api['masks:save'].output.parse(await t.call('masks:save', { imageId: ids[0], pngBase64: png.toString('base64') }))
    expect(saved.image).toMatchObject({ status: 'partial', classPixels: [0, 42, 18] })
    expect(saved.image.labeledFraction).toBeCloseTo(60 / 80, 12)
    const got = await t.call('masks:get', { imageId: ids[0] })
    expect(got.revisionId).toBe(saved.revisionId)
    const decoded = decodeMaskPng(Buffer.from(got.pngBase64 ?? '', 'base64'), 'got.png')
    expect(decoded.data[0]).toBe(255)
    expect(decoded.data[2 * 10]).toBe(2)
    expect(decoded.data[2 * 10 + 5]).toBe(1)

    const full = await maskPng(10, 8, () => 0)
    const second = await t.call('masks:save', { imageId: ids[0], pngBase64: full.toString('base64'), source: 'pseudo-accepted' })
    expect(second.image.status).toBe('labeled')
    const revs = await t.call('masks:revisions', { imageId: ids[0] })
    expect(revs.map((r) => [r.id, r.source, r.current])).toEqual([
      [second.revisionId, 'pseudo-accepted', true],
      [saved.revisionId, 'human', false],
    ])

    const restored = await t.call('masks:restore', { imageId: ids[0], revisionId: saved.revisionId })
    expect(restored.revisionId).toBeGreaterThan(second.revisionId)
    expect(restored.image.classPixels).toEqual([0, 42, 18])
    expect(await t.call('masks:revisions', { imageId: ids[0] })).toHaveLength(3)
    expect((await t.call('project:current', {}))?.counts).toEqual({ unlabeled: 2, partial: 1, labeled: 0 })
    const maskEvents = t.events.filter((e) => e.name === 'project:changed' && (e.payload as { what: string }).what === 'masks')
    expect(maskEvents).toHaveLength(3)
  })

  it('refuses a mask of the wrong size, with an unknown class, or that is not a PNG', async () => {
    const reject = async (pngBase64: string): Promise<{ code: string; message: string }> => {
      try {
        await t.call('masks:save', { imageId: ids[1], pngBase64 })
      } catch (err) {
        return err as { code: string; message: string }
      }
      throw new Error('expected a rejection')
    }
    const wrongSize = await reject((await maskPng(8, 10, () => 0)).toString('base64'))
    expect(wrongSize.code).toBe('MASK_SIZE')
    expect(wrongSize.message).toMatch(/8×10.*tile-1\.png is 10×8/)
    const unknown = await reject((await maskPng(10, 8, (x) => (x === 9 ? 3 : 0))).toString('base64'))
    expect(unknown.code).toBe('MASK_CLASS')
    expect(unknown.message).toMatch(/class index 3/)
    expect((await reject(Buffer.from('hello').toString('base64'))).code).toBe('DECODE_FAILED')
    expect(await t.call('masks:revisions', { imageId: ids[1] })).toEqual([])
    await expect(t.call('masks:get', { imageId: 999 })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(t.call('masks:restore', { imageId: ids[1], revisionId: 999 })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })
})

describe('images', () => {
  it('gets, lists with filters, finds neighbours and deletes', async () => {
    await t.call('masks:save', { imageId: ids[1], pngBase64: (await maskPng(10, 8, () => 2)).toString('base64') })
    expect(await t.call('images:get', { id: ids[1] })).toMatchObject({ name: 'tile-1.png', status: 'labeled', classPixels: [0, 0, 80] })
    expect((await t.call('images:list', { containsClass: 2 })).items.map((i) => i.id)).toEqual([ids[1]])
    expect((await t.call('images:list', { status: ['unlabeled'], sort: 'name', order: 'desc' })).items.map((i) => i.name)).toEqual(['tile-2.png', 'tile-0.png'])
    expect(await t.call('images:neighbors', { id: ids[1] })).toEqual({ prev: ids[0], next: ids[2] })
    expect(await t.call('images:neighbors', { id: ids[0], query: { sort: 'name', order: 'desc' } })).toEqual({ prev: ids[1], next: null })

    expect(await t.call('images:delete', { ids: [ids[1], 12345] })).toEqual({ deleted: 1 })
    expect(t.events.at(-1)).toEqual({ name: 'project:changed', payload: { what: 'images', imageIds: [ids[1], 12345] } })
    await expect(t.call('images:get', { id: ids[1] })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect((await t.call('images:list', {})).total).toBe(2)
    await expect(t.host.dispatch('images:delete', { ids: [] })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
  })
})
