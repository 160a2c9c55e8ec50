/**
 * Disk full without a small volume: SQLite's own PRAGMA max_page_count caps the file, and a write past it
 * fails with SQLITE_FULL exactly as on a full disk (main/services/disk-full.test.ts uses a real tmpfs).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { encodeMaskPng, maskClassCounts } from '../imaging'
import { ProjectStore } from './store'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'labelloop-pagelimit-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function noiseMask(w: number, h: number, seed: number): { png: Buffer; labeledFraction: number; classPixels: number[] } {
  const data = new Uint8Array(w * h)
  let s = seed
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0
    data[i] = (s >>> 16) % 3
  }
  const counts = maskClassCounts(data, 3)
  return { png: encodeMaskPng(data, w, h), labeledFraction: 1, classPixels: counts.classPixels }
}

describe('disk full through PRAGMA max_page_count', () => {
  it('rolls a mask save back with DISK_FULL, keeps the previous revision, and saves once the cap is lifted', () => {
    const file = join(dir, 'p.labelloop')
    const store = ProjectStore.create(file, 'P', [{ name: 'a' }, { name: 'b' }, { name: 'c' }])
    try {
      const id = store.write(() =>
        store.images.insert({
          name: 'i.png', relPath: 'i.png', contentHash: 'h', width: 600, height: 600, bands: 3, bitDepth: 8, format: 'png',
          original: Buffer.alloc(64), display: Buffer.alloc(64), displayMime: 'image/png', thumbnail: Buffer.alloc(16), thumbnailMime: 'image/webp',
        }),
      )
      const first = store.masks.save(id, { ...noiseMask(600, 600, 1), source: 'human' })
      const pages = store.db.pragma('page_count', { simple: true }) as number
      store.db.pragma(`max_page_count = ${pages}`)
      expect(() => store.masks.save(id, { ...noiseMask(600, 600, 2), source: 'human' })).toThrow(expect.objectContaining({ code: 'DISK_FULL', message: expect.stringContaining(file) }))
      expect(store.masks.current(id)?.revisionId).toBe(first)
      expect(store.masks.revisions(id)).toHaveLength(1)
      store.db.pragma('max_page_count = 1073741823')
      expect(store.masks.save(id, { ...noiseMask(600, 600, 2), source: 'human' })).toBeGreaterThan(first)
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok')
    } finally {
      store.close()
    }
  })
})
