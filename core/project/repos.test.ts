import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError, type ImageSummary } from '../contract'
import { ProjectStore } from './store'
import { fakeImage, tempDir } from './test-helpers'

let dir: string
let cleanup: () => void
let store: ProjectStore
beforeEach(() => {
  ;({ dir, cleanup } = tempDir())
  store = ProjectStore.create(join(dir, 'p.labelloop'), 'p', [{ name: 'ground' }, { name: 'road' }, { name: 'car' }])
})
afterEach(() => {
  store.close()
  cleanup()
})

const N = 3000
/** Image i: unlabeled when i % 3 == 0, partial when 1, labeled when 2; 'car' pixels when i % 10 == 0 and labeled/partial. */
function seed(): void {
  store.write(() => {
    for (let i = 0; i < N; i++) {
      const id = store.images.insert(fakeImage(i, `tile_${String(i).padStart(4, '0')}${i % 7 === 0 ? '_Straße' : ''}.png`), `2025-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`)
      const kind = i % 3
      if (kind === 0) continue
      const fraction = kind === 2 ? 1 : (i % 100) / 100 + 0.001
      const car = i % 10 === 0 ? 5 : 0
      store.masks.save(id, { png: Buffer.from([i % 256]), source: 'human', labeledFraction: fraction, classPixels: [100 - car, 0, car] })
    }
  })
}

describe('ImageRepo listing', () => {
  it('pages, filters and sorts a few thousand images', () => {
    seed()
    const all = store.images.list({ limit: 5000 })
    expect(all.total).toBe(N)
    expect(all.items.map((i) => i.id)).toEqual(Array.from({ length: N }, (_, i) => i + 1).sort((a, b) => {
      const ta = (a - 1) % 60
      const tb = (b - 1) % 60
      return ta - tb || a - b
    }))

    const page = store.images.list({ sort: 'name', offset: 100, limit: 50 })
    expect(page.total).toBe(N)
    expect(page.items).toHaveLength(50)
    expect(page.items[0].name.startsWith('tile_0100')).toBe(true)
    const desc = store.images.list({ sort: 'name', order: 'desc', limit: 1 })
    expect(desc.items[0].name).toBe('tile_2999.png')

    expect(store.images.list({ status: ['unlabeled'] }).total).toBe(1000)
    expect(store.images.list({ status: ['labeled'] }).total).toBe(1000)
    expect(store.images.list({ status: ['partial', 'labeled'] }).total).toBe(2000)
    expect(store.images.list({ status: [] }).total).toBe(0)

    const cars = store.images.list({ containsClass: 2, limit: 5000 })
    expect(cars.total).toBe(200)
    expect(cars.items.every((i: ImageSummary) => i.classPixels[2] === 5 && i.status !== 'unlabeled')).toBe(true)
    expect(store.images.list({ missingClass: 2 }).total).toBe(N - 200)
    expect(store.images.list({ containsClass: 1 }).total).toBe(0)

    expect(store.images.list({ search: 'STRASSE' }).total).toBe(0)
    expect(store.images.list({ search: 'straße' }).total).toBe(Math.ceil(N / 7))
    expect(store.images.list({ search: 'TILE_00' }).total).toBe(100)

    const byLabel = store.images.list({ sort: 'labeled', order: 'desc', limit: 5000 }).items
    for (let k = 1; k < byLabel.length; k++) expect(byLabel[k - 1].labeledFraction).toBeGreaterThanOrEqual(byLabel[k].labeledFraction)
    const byStatus = store.images.list({ sort: 'status', limit: 3 }).items
    expect(byStatus.map((i) => i.status)).toEqual(['unlabeled', 'unlabeled', 'unlabeled'])

    expect(store.info().counts).toEqual({ unlabeled: 1000, partial: 1000, labeled: 1000 })
  })

  it('finds neighbours in listing order, also for an image outside the filter', () => {
    seed()
    const order = store.images.list({ sort: 'name', status: ['unlabeled'], limit: 5000 }).items.map((i) => i.id)
    expect(store.images.neighbors(order[5], { sort: 'name', status: ['unlabeled'] })).toEqual({ prev: order[4], next: order[6] })
    expect(store.images.neighbors(order[0], { sort: 'name', status: ['unlabeled'] }).prev).toBeNull()
    // tile_0004 (id 5) is partial: placed between tile_0003 (id 4) and tile_0006 (id 7) of the unlabeled view.
    expect(store.images.neighbors(5, { sort: 'name', status: ['unlabeled'] })).toEqual({ prev: 4, next: 7 })
    expect(() => store.images.neighbors(999_999)).toThrow(AppError)
  })

  it('deletes images together with their masks and history', () => {
    const a = store.images.insert(fakeImage('a'))
    const b = store.images.insert(fakeImage('b'))
    store.masks.save(a, { png: Buffer.from('m'), source: 'human', labeledFraction: 1, classPixels: [4, 0, 0] })
    expect(store.images.delete([a, a, 12345])).toBe(1)
    expect(store.images.list().items.map((i) => i.id)).toEqual([b])
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM mask_revisions').get()).toEqual({ n: 0 })
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM image_blobs').get()).toEqual({ n: 1 })
    expect(() => store.images.rendition(a, 'display')).toThrow(/does not exist/)
  })

  it('stores browser-displayable originals once and serves them as the display rendition', () => {
    const img = fakeImage('shown')
    const id = store.images.insert({ ...img, display: Buffer.from(img.original), displayMime: 'image/png' })
    expect(store.db.prepare('SELECT display IS NULL AS shared FROM image_blobs WHERE image_id = ?').get(id)).toEqual({ shared: 1 })
    expect(store.images.rendition(id, 'display')).toEqual({ bytes: img.original, mime: 'image/png' })
    expect(store.images.original(id)).toEqual({ original: img.original, format: 'png' })
    const other = store.images.insert(fakeImage('converted'))
    expect(store.images.rendition(other, 'display').bytes).toEqual(Buffer.from('display-converted'))
  })

  it('refuses a second image with the same content hash', () => {
    store.images.insert(fakeImage('same'))
    expect(() => store.images.insert(fakeImage('same', 'other-name.png'))).toThrow(/UNIQUE/)
    expect(store.images.list().total).toBe(1)
  })
})

describe('MaskRepo', () => {
  it('appends revisions, keeps history and restores by appending a copy', () => {
    const id = store.images.insert(fakeImage(1))
    expect(store.masks.current(id)).toBeNull()
    const r1 = store.masks.save(id, { png: Buffer.from('one'), source: 'import', labeledFraction: 0.25, classPixels: [1, 0, 0] })
    const r2 = store.masks.save(id, { png: Buffer.from('two'), source: 'human', labeledFraction: 1, classPixels: [2, 2, 0] })
    expect(store.masks.current(id)).toMatchObject({ revisionId: r2, png: Buffer.from('two'), labeledFraction: 1 })
    expect(store.images.get(id)).toMatchObject({ status: 'labeled', classPixels: [2, 2, 0] })

    const r3 = store.masks.restore(id, r1)
    expect(r3).toBeGreaterThan(r2)
    const revs = store.masks.revisions(id)
    expect(revs.map((r) => [r.id, r.source, r.current])).toEqual([[r3, 'import', true], [r2, 'human', false], [r1, 'import', false]])
    expect(store.masks.revisionPng(id, r1)).toEqual(Buffer.from('one'))
    expect(store.images.get(id)).toMatchObject({ status: 'partial', labeledFraction: 0.25, classPixels: [1, 0, 0] })
    const rows = store.db.prepare('SELECT class_index, pixels, source FROM image_class_pixels WHERE image_id = ?').all(id)
    expect(rows).toEqual([{ class_index: 0, pixels: 1, source: 'import' }])
  })

  it('never lets a revision be changed or dropped while its image exists', () => {
    const id = store.images.insert(fakeImage(1))
    const r = store.masks.save(id, { png: Buffer.from('one'), source: 'human', labeledFraction: 0.5, classPixels: [1, 0, 0] })
    expect(() => store.db.prepare('UPDATE mask_revisions SET png = ? WHERE id = ?').run(Buffer.from('x'), r)).toThrow(/append-only/)
    expect(() => store.db.prepare('DELETE FROM mask_revisions WHERE id = ?').run(r)).toThrow(/append-only/)
    expect(store.masks.revisionPng(id, r)).toEqual(Buffer.from('one'))
  })

  it('reports unknown images and revisions as NOT_FOUND', () => {
    const id = store.images.insert(fakeImage(1))
    const other = store.images.insert(fakeImage(2))
    const r = store.masks.save(other, { png: Buffer.from('o'), source: 'human', labeledFraction: 1, classPixels: [1, 0, 0] })
    const code = (fn: () => unknown): string => {
      try {
        fn()
        return 'none'
      } catch (err) {
        return (err as AppError).code
      }
    }
    expect(code(() => store.masks.restore(id, r))).toBe('NOT_FOUND')
    expect(code(() => store.masks.save(4242, { png: Buffer.from('x'), source: 'human', labeledFraction: 0, classPixels: [] }))).toBe('NOT_FOUND')
    expect(code(() => store.masks.revisions(4242))).toBe('NOT_FOUND')
  })
})
