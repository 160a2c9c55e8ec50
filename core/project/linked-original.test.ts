import { createHash } from 'node:crypto'
import { statSync, utimesSync, writeFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '../contract'
import { hashFileSync } from './linked-original'
import { LATEST_SCHEMA_VERSION, migrate } from './migrations'
import { ProjectStore } from './store'
import { fakeImage, tempDir } from './test-helpers'

let dir: string
let cleanup: () => void
let store: ProjectStore
beforeEach(() => {
  ;({ dir, cleanup } = tempDir())
  store = ProjectStore.create(join(dir, 'p.labelloop'), 'p', [{ name: 'a' }, { name: 'b' }])
})
afterEach(() => {
  store.close()
  cleanup()
})

/** Writes `bytes` as an external original and inserts it linked; returns the image id and path. */
function linkFile(bytes: Buffer, name = 'big.tif'): { id: number; path: string } {
  const path = join(dir, name)
  writeFileSync(path, bytes)
  const s = statSync(path)
  const img = fakeImage(name, name)
  const id = store.images.insert({
    ...img,
    contentHash: createHash('sha256').update(bytes).digest('hex'),
    original: Buffer.alloc(0),
    linked: { path, size: s.size, mtimeMs: s.mtimeMs },
  })
  return { id, path }
}

function errorOf(fn: () => unknown): AppError {
  try {
    fn()
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected an AppError')
}

describe('linked originals', () => {
  it('keeps the bytes out of the project and reads them from the file', () => {
    const bytes = Buffer.from('pretend this is a 600 MB GeoTIFF')
    const { id, path } = linkFile(bytes)
    expect(store.db.prepare('SELECT length(original) AS n, display IS NOT NULL AS own FROM image_blobs WHERE image_id = ?').get(id)).toEqual({ n: 0, own: 1 })
    expect(store.db.prepare('SELECT byte_size FROM images WHERE id = ?').get(id)).toEqual({ byte_size: bytes.length })
    expect(store.images.original(id)).toEqual({ original: bytes, format: 'png' })
    expect(store.images.originalSource(id)).toEqual({ kind: 'file', name: 'big.tif', format: 'png', path, size: bytes.length })
    expect(store.images.linked(id)).toMatchObject({ path, size: bytes.length })
    expect(store.images.rendition(id, 'display').bytes).toEqual(Buffer.from('display-big.tif'))
  })

  it('reports a missing file as NOT_FOUND naming it', () => {
    const { id, path } = linkFile(Buffer.from('gone soon'))
    rmSync(path)
    for (const read of [() => store.images.original(id), () => store.images.originalSource(id)]) {
      const err = errorOf(read)
      expect(err.code).toBe('NOT_FOUND')
      expect(err.file).toBe(path)
      expect(err.message).toContain(path)
      expect(err.message).toContain('big.tif')
    }
  })

  it('reports a changed size or content as IO, and accepts a touched but identical file', () => {
    const bytes = Buffer.from('0123456789')
    const { id, path } = linkFile(bytes)
    const later = new Date(Date.now() + 60_000)
    utimesSync(path, later, later)
    expect(store.images.original(id).original).toEqual(bytes)
    expect(store.images.originalSource(id).kind).toBe('file')

    writeFileSync(path, Buffer.from('9876543210'))
    utimesSync(path, later, new Date(Date.now() + 120_000))
    for (const read of [() => store.images.original(id), () => store.images.originalSource(id)]) {
      const err = errorOf(read)
      expect(err.code).toBe('IO')
      expect(err.message).toMatch(/changed since it was imported: its content is different/)
      expect(err.file).toBe(path)
    }
    writeFileSync(path, Buffer.from('short'))
    expect(errorOf(() => store.images.original(id)).message).toContain('its size is 5 bytes, it was 10')
  })

  it('serves stored originals as bytes and drops the link with its image', () => {
    const stored = store.images.insert(fakeImage('small'))
    expect(store.images.originalSource(stored)).toEqual({ kind: 'bytes', name: 'img-small.png', format: 'png', bytes: Buffer.from('original-small') })
    expect(store.images.linked(stored)).toBeNull()
    const { id } = linkFile(Buffer.from('x'))
    store.images.delete([id])
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM image_links').get()).toEqual({ n: 0 })
  })

  it('hashes a file in chunks exactly like hashing its bytes', () => {
    const bytes = Buffer.alloc(9 * 1024 * 1024 + 17, 7)
    const path = join(dir, 'chunks.bin')
    writeFileSync(path, bytes)
    expect(hashFileSync(path)).toBe(createHash('sha256').update(bytes).digest('hex'))
  })

  it('migrates a version-6 project to the link table and keeps its images', () => {
    const file = join(dir, 'old.labelloop')
    const old = ProjectStore.create(file, 'old', [{ name: 'a' }])
    old.images.insert(fakeImage('kept'))
    old.close()
    const db = new Database(file)
    // Back to what version 6 had: no link table (7), no trainer columns on runs (8), no run report (9),
    // no owner and failure reason on rounds (10).
    db.exec('DROP TABLE image_links; ALTER TABLE runs DROP COLUMN trainer_pid; ALTER TABLE runs DROP COLUMN trainer_host; ALTER TABLE runs DROP COLUMN report')
    db.exec('ALTER TABLE rounds DROP COLUMN owner_pid; ALTER TABLE rounds DROP COLUMN owner_host; ALTER TABLE rounds DROP COLUMN error; ALTER TABLE rounds DROP COLUMN finished_at')
    db.pragma('user_version = 6')
    expect(migrate(db, 6)).toBe(6)
    db.close()
    const reopened = ProjectStore.open(file)
    try {
      expect(reopened.schemaVersion).toBe(LATEST_SCHEMA_VERSION)
      expect(reopened.images.original(1).original).toEqual(Buffer.from('original-kept'))
      expect(reopened.images.linked(1)).toBeNull()
    } finally {
      reopened.close()
    }
  })
})
