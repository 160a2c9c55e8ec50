import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '../contract'
import { APP_ID, APP_MARKER, LATEST_SCHEMA_VERSION, migrate } from './migrations'
import { ProjectStore } from './store'
import { fakeImage, tempDir } from './test-helpers'

let dir: string
let cleanup: () => void
beforeEach(() => ({ dir, cleanup } = tempDir()))
afterEach(() => cleanup())

function codeOf(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(AppError)
    return (err as AppError).code
  }
  throw new Error('expected an AppError')
}

describe('ProjectStore create/open', () => {
  it('creates a project, closes it into one file and reopens it with everything', () => {
    const file = join(dir, 'p.labelloop')
    const store = ProjectStore.create(file, ' Roads ', [{ name: 'ground' }, { name: 'road', color: '#112233' }])
    const id = store.images.insert(fakeImage(1))
    expect(store.info()).toMatchObject({ name: 'Roads', schemaVersion: LATEST_SCHEMA_VERSION, imageCount: 1 })
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1)
    store.close()
    expect(existsSync(`${file}-wal`)).toBe(false)

    const again = ProjectStore.open(file)
    expect(again.classes()).toEqual([
      { index: 0, name: 'ground', color: expect.stringMatching(/^#[0-9a-f]{6}$/) },
      { index: 1, name: 'road', color: '#112233' },
    ])
    expect(again.images.get(id)).toMatchObject({ name: 'img-1.png', status: 'unlabeled', classPixels: [0, 0] })
    expect(again.images.rendition(id, 'thumb')).toEqual({ bytes: Buffer.from('thumb-1'), mime: 'image/webp' })
    again.close()
  })

  it('opens a project from a second connection while its creator still holds it open', () => {
    const file = join(dir, 'shared.labelloop')
    const creator = ProjectStore.create(file, 'Shared', [{ name: 'a' }])
    const reader = ProjectStore.open(file)
    expect(reader.info()).toMatchObject({ name: 'Shared', schemaVersion: LATEST_SCHEMA_VERSION })
    reader.close()
    creator.close()
  })

  it('refuses to overwrite an existing file', () => {
    const file = join(dir, 'taken.labelloop')
    writeFileSync(file, 'keep me')
    expect(codeOf(() => ProjectStore.create(file, 'x', [{ name: 'a' }]))).toBe('ALREADY_EXISTS')
    expect(readFileSync(file, 'utf8')).toBe('keep me')
  })

  it('reports a missing file as NOT_FOUND', () => {
    expect(codeOf(() => ProjectStore.open(join(dir, 'nope.labelloop')))).toBe('NOT_FOUND')
  })

  it('refuses a text file and a foreign SQLite database without touching them', () => {
    const text = join(dir, 'notes.labelloop')
    writeFileSync(text, 'just some text, long enough to have a header-sized prefix '.repeat(4))
    const textBefore = readFileSync(text)
    expect(codeOf(() => ProjectStore.open(text))).toBe('NOT_A_PROJECT')
    expect(readFileSync(text).equals(textBefore)).toBe(true)

    const foreign = join(dir, 'other.sqlite')
    const db = new Database(foreign)
    db.exec("CREATE TABLE meta (key TEXT, value TEXT); INSERT INTO meta VALUES ('app', 'someone-else')")
    db.close()
    const before = readFileSync(foreign)
    expect(codeOf(() => ProjectStore.open(foreign))).toBe('NOT_A_PROJECT')
    expect(readFileSync(foreign).equals(before)).toBe(true)
    expect(existsSync(`${foreign}-wal`)).toBe(false)
  })

  it('refuses a project from a newer schema, naming both versions, and leaves it byte-for-byte unchanged', () => {
    const file = join(dir, 'future.labelloop')
    ProjectStore.create(file, 'future', [{ name: 'a' }]).close()
    const db = new Database(file)
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 4}`)
    db.close()
    const before = readFileSync(file)
    let message = ''
    try {
      ProjectStore.open(file)
    } catch (err) {
      expect((err as AppError).code).toBe('NEWER_VERSION')
      message = (err as AppError).message
    }
    expect(message).toContain(`schema version ${LATEST_SCHEMA_VERSION + 4}`)
    expect(message).toContain(`up to ${LATEST_SCHEMA_VERSION}`)
    expect(readFileSync(file).equals(before)).toBe(true)
  })

  it('migrates a project written at schema version 1 to the latest', () => {
    const file = join(dir, 'old.labelloop')
    const db = new Database(file)
    db.pragma('journal_mode = WAL')
    expect(migrate(db, 1)).toBe(1)
    db.pragma(`application_id = ${APP_ID}`)
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?), (?, ?), (?, ?)').run('app', APP_MARKER, 'name', 'old', 'created_at', '2024-01-01T00:00:00.000Z')
    db.prepare('INSERT INTO classes ("index", name, color) VALUES (0, ?, ?)').run('a', '#ff0000')
    db.close()

    const store = ProjectStore.open(file)
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION)
    const tables = (store.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name)
    expect(tables).toEqual(expect.arrayContaining(['runs', 'checkpoints', 'rounds', 'pseudo_labels']))
    expect(store.info()).toMatchObject({ name: 'old', createdAt: '2024-01-01T00:00:00.000Z' })
    store.close()
  })

  it('reports damage found by the integrity check as CORRUPT_PROJECT', () => {
    const file = join(dir, 'broken.labelloop')
    const store = ProjectStore.create(file, 'broken', [{ name: 'a' }])
    for (let i = 0; i < 200; i++) store.images.insert(fakeImage(i, `a-much-longer-image-name-to-fill-pages-${i}.png`))
    const root = (store.db.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'images'").get() as { rootpage: number }).rootpage
    const pageSize = store.db.pragma('page_size', { simple: true }) as number
    store.close()
    const bytes = readFileSync(file)
    bytes.fill(0xa5, (root - 1) * pageSize + 8, root * pageSize)
    writeFileSync(file, bytes)
    expect(codeOf(() => ProjectStore.open(file))).toBe('CORRUPT_PROJECT')
    expect(readFileSync(file).equals(bytes)).toBe(true)
  })

  it('turns a full disk into DISK_FULL and rolls the whole change back', () => {
    const store = ProjectStore.create(join(dir, 'full.labelloop'), 'full', [{ name: 'a' }])
    store.images.insert(fakeImage('small'))
    const pages = store.db.pragma('page_count', { simple: true }) as number
    store.db.pragma(`max_page_count = ${pages + 4}`)
    const big = { ...fakeImage('big'), original: Buffer.alloc(1_000_000, 7) }
    expect(codeOf(() => store.images.insert(big))).toBe('DISK_FULL')
    expect(store.images.list().total).toBe(1)
    expect(store.images.findByHash(big.contentHash)).toBeNull()
    store.close()
  })
})

describe('classes', () => {
  it('renames and adds classes, refuses gaps, duplicates and dropping a class that masks use', () => {
    const store = ProjectStore.create(join(dir, 'c.labelloop'), 'c', [{ name: 'a' }, { name: 'b' }, { name: 'c' }])
    const id = store.images.insert(fakeImage(1))
    store.masks.save(id, { png: Buffer.from('png'), source: 'human', labeledFraction: 0.5, classPixels: [0, 0, 10] })
    const a = { index: 0, name: 'A', color: '#000000' }
    const b = { index: 1, name: 'b', color: '#111111' }
    expect(codeOf(() => store.setClasses([a, { ...b, index: 2 }]))).toBe('INVALID_INPUT')
    expect(codeOf(() => store.setClasses([a, { ...b, name: 'a' }]))).toBe('INVALID_INPUT')
    expect(codeOf(() => store.setClasses([a, b]))).toBe('INVALID_INPUT')
    expect(store.classes()).toHaveLength(3)
    store.setClasses([a, b, { index: 2, name: 'c', color: '#222222' }, { index: 3, name: 'd', color: '#333333' }])
    expect(store.classes().map((c) => c.name)).toEqual(['A', 'b', 'c', 'd'])
    expect(store.images.get(id).classPixels).toEqual([0, 0, 10, 0])
    store.close()
  })
})
