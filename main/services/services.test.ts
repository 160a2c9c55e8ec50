import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { api, AppError } from '../../core/contract'
import { makeHost, rgbPng, type TestHost } from './test-fixtures'

let t: TestHost
beforeEach(() => {
  t = makeHost()
})
afterEach(async () => {
  await t.cleanup()
})

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (err) {
    expect(err).toBeInstanceOf(AppError)
    return (err as AppError).code
  }
  throw new Error('expected an AppError')
}

describe('dispatch validation', () => {
  it('refuses an unknown method and a bad payload with INVALID_INPUT and the zod message', async () => {
    expect(await codeOf(t.host.dispatch('images:explode', {}))).toBe('INVALID_INPUT')
    let message = ''
    try {
      await t.host.dispatch('project:create', { path: 'x.labelloop', name: '', classes: [] })
    } catch (err) {
      expect((err as AppError).code).toBe('INVALID_INPUT')
      message = (err as AppError).message
    }
    expect(message).toMatch(/project:create/)
    expect(message).toMatch(/name/)
    expect(message).toMatch(/classes/)
    expect(await codeOf(t.host.dispatch('images:list', { limit: 0 }))).toBe('INVALID_INPUT')
    expect(await codeOf(t.host.dispatch('app:info', { extra: 1 }))).toBe('INVALID_INPUT')
  })

  it('answers NO_PROJECT for project calls before a project is open', async () => {
    expect(await codeOf(t.call('images:list', {}))).toBe('NO_PROJECT')
    expect(await t.call('project:current', {})).toBeNull()
    expect(await codeOf(t.host.imageRendition(1, 'thumb'))).toBe('NO_PROJECT')
  })
})

describe('projects', () => {
  it('creates, closes and reopens a project, keeping a recent list', async () => {
    const info = api['app:info'].output.parse(await t.call('app:info', {}))
    expect(info).toMatchObject({ version: '0.0.0-test', mode: 'browser', nativeDialogs: false })

    const path = join(t.dir, 'Projekt ñ 雪.labelloop')
    const created = await t.call('project:create', { path, name: 'Snow', classes: [{ name: 'bg' }, { name: 'snow', color: '#ffffff' }] })
    expect(api['project:create'].output.parse(created)).toMatchObject({ name: 'Snow', imageCount: 0, path })
    expect(created.classes[1]).toEqual({ index: 1, name: 'snow', color: '#ffffff' })
    expect(created.classes[0].color).toMatch(/^#[0-9a-f]{6}$/)
    expect(await codeOf(t.call('project:create', { path, name: 'again', classes: [{ name: 'a' }] }))).toBe('ALREADY_EXISTS')

    await t.call('project:close', {})
    expect(await t.call('project:current', {})).toBeNull()
    const other = join(t.dir, 'other.labelloop')
    await t.call('project:create', { path: other, name: 'Other', classes: [{ name: 'a' }] })
    const reopened = await t.call('project:open', { path })
    expect(reopened.name).toBe('Snow')
    expect((await t.call('project:current', {}))?.path).toBe(path)

    const recent = await t.call('project:recent', {})
    expect(recent.map((r) => r.name)).toEqual(['Snow', 'Other'])
    await t.call('project:close', {})
    rmSync(other)
    expect((await t.call('project:recent', {})).map((r) => r.path)).toEqual([path])
    expect(t.events.filter((e) => e.name === 'project:changed').length).toBeGreaterThanOrEqual(4)
  })

  it('refuses a non-project file without touching it, and keeps the open project', async () => {
    const path = join(t.dir, 'a.labelloop')
    await t.call('project:create', { path, name: 'A', classes: [{ name: 'a' }] })
    const junk = join(t.dir, 'junk.labelloop')
    writeFileSync(junk, 'not a database at all, just text that is long enough to look like something'.repeat(3))
    const before = readFileSync(junk)
    expect(await codeOf(t.call('project:open', { path: junk }))).toBe('NOT_A_PROJECT')
    expect(readFileSync(junk).equals(before)).toBe(true)
    expect((await t.call('project:current', {}))?.path).toBe(path)
    expect(await codeOf(t.call('project:open', { path: join(t.dir, 'missing.labelloop') }))).toBe('NOT_FOUND')
  })

  it('reports damage found while reading image bytes as CORRUPT_PROJECT', async () => {
    const path = join(t.dir, 'dmg.labelloop')
    await t.call('project:create', { path, name: 'D', classes: [{ name: 'a' }] })
    const file = join(t.dir, 'x.png')
    writeFileSync(file, await rgbPng(40, 40, 3))
    const [{ id }] = (await t.call('images:import', { jobId: 'd', paths: [file] })).imported
    await t.call('project:close', {})
    const db = new Database(path, { readonly: true })
    const root = (db.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'image_blobs'").get() as { rootpage: number }).rootpage
    const pageSize = db.pragma('page_size', { simple: true }) as number
    db.close()
    const bytes = readFileSync(path)
    bytes.fill(0x5a, (root - 1) * pageSize, root * pageSize)
    writeFileSync(path, bytes)
    await t.call('project:open', { path })
    await expect(t.host.imageRendition(id, 'thumb')).rejects.toMatchObject({ code: 'CORRUPT_PROJECT' })
  })

  it('updates classes and emits a change', async () => {
    await t.call('project:create', { path: join(t.dir, 'c.labelloop'), name: 'C', classes: [{ name: 'a' }] })
    const info = await t.call('classes:update', { classes: [{ index: 0, name: 'ground', color: '#010203' }, { index: 1, name: 'car', color: '#aabbcc' }] })
    expect(info.classes.map((c) => c.name)).toEqual(['ground', 'car'])
    expect(t.events.at(-1)).toEqual({ name: 'project:changed', payload: { what: 'classes' } })
    expect(await codeOf(t.call('classes:update', { classes: [{ index: 3, name: 'x', color: '#000000' }] }))).toBe('INVALID_INPUT')
  })

  it('generates the sample project once, reopens it, and rebuilds it when fresh', async () => {
    const first = await t.call('project:openSample', {})
    expect(first.path).toBe(join(t.dir, 'appdata', 'sample.labelloop'))
    expect(first.classes.map((c) => c.name)).toEqual(['ground', 'road', 'building', 'vehicle'])
    expect(first.imageCount).toBe(40)
    expect(first.counts).toEqual({ labeled: 8, partial: 4, unlabeled: 28 })
    const page = await t.call('images:list', { status: ['labeled'], limit: 10 })
    const vehicle = page.items.reduce((s, i) => s + i.classPixels[3], 0)
    const all = page.items.reduce((s, i) => s + i.classPixels.reduce((a, b) => a + b, 0), 0)
    expect(vehicle).toBeGreaterThan(0)
    expect(vehicle / all).toBeLessThan(0.01)

    const mask = await t.call('masks:get', { imageId: page.items[0].id })
    const revisions = await t.call('masks:revisions', { imageId: page.items[0].id })
    expect(revisions).toHaveLength(1)
    expect(mask.revisionId).toBe(revisions[0].id)
    await t.call('masks:save', { imageId: page.items[0].id, pngBase64: mask.pngBase64 ?? '' })
    expect(await t.call('masks:revisions', { imageId: page.items[0].id })).toHaveLength(2)

    await t.call('project:close', {})
    const again = await t.call('project:openSample', {})
    expect(again.imageCount).toBe(40)
    expect(await t.call('masks:revisions', { imageId: page.items[0].id })).toHaveLength(2)
    const fresh = await t.call('project:openSample', { fresh: true })
    expect(fresh.imageCount).toBe(40)
    expect(await t.call('masks:revisions', { imageId: page.items[0].id })).toHaveLength(1)
    expect(existsSync(join(t.dir, 'appdata', 'recent.json'))).toBe(true)
  })

  it('never replaces a file that is not a project when asked for a fresh sample there', async () => {
    const path = join(t.dir, 'precious.labelloop')
    writeFileSync(path, 'my thesis, not a project'.repeat(10))
    expect(await codeOf(t.call('project:openSample', { path, fresh: true }))).toBe('NOT_A_PROJECT')
    expect(readFileSync(path, 'utf8')).toBe('my thesis, not a project'.repeat(10))
  })
})
