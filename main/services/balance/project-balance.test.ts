import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { accumulate } from '../../../core/balance'
import { ProjectStore } from '../../../core/project'
import { fakeImage, tempDir } from '../../../core/project/test-helpers'
import { ProjectBalance } from './project-balance'

let store: ProjectStore
let cleanup: () => void
const png = Buffer.from('counts only')

function save(id: number, classPixels: number[], source: 'human' | 'pseudo-accepted' = 'human'): void {
  store.masks.save(id, { png, source, labeledFraction: 0.5, classPixels })
}

beforeEach(() => {
  const t = tempDir('labelloop-balance-')
  cleanup = t.cleanup
  store = ProjectStore.create(join(t.dir, 'p.labelloop'), 'P', [{ name: 'a' }, { name: 'b' }, { name: 'c' }])
  for (let i = 0; i < 50; i++) {
    const id = store.images.insert(fakeImage(i))
    if (i % 10 !== 9) save(id, [100 + i, i % 2 === 0 ? 20 : 0, i % 7 === 0 ? 3 : 0], i % 4 === 0 ? 'pseudo-accepted' : 'human')
  }
})
afterEach(() => {
  store.close()
  cleanup()
})

describe('ProjectBalance', () => {
  it('loads every labeled image once and re-reads only the images that changed', () => {
    const pb = new ProjectBalance(store)
    expect(pb.heldCounts().size).toBe(45)
    expect(pb.acc.totals('all').labeledImages).toBe(45)
    expect(pb.refresh([])).toBe(0)

    save(10, [0, 0, 64])
    // Announced and found by the revision watermark: still one image to re-read.
    expect(pb.refresh([10])).toBe(1)
    expect(pb.refresh([])).toBe(0)
    save(20, [1, 1, 1])
    save(20, [0, 5, 0])
    expect(pb.refresh([])).toBe(1)

    const fresh = accumulate(pb.heldCounts().values(), 3)
    expect(pb.acc.totals('all')).toEqual(fresh.totals('all'))
    expect(pb.acc.totals('human')).toEqual(new ProjectBalance(store).acc.totals('human'))
    expect(pb.heldCounts().get(10)).toEqual({ counts: [0, 0, 64], source: 'human' })
  })

  it('drops a deleted image and notices a change of class count', () => {
    const pb = new ProjectBalance(store)
    const before = pb.acc.totals('all')
    store.images.delete([1])
    expect(pb.refresh([1])).toBe(1)
    const after = pb.acc.totals('all')
    expect(after.labeledImages).toBe(before.labeledImages - 1)
    expect(after.pixels[0]).toBe(before.pixels[0] - 100)
    expect(pb.describes(store)).toBe(true)
    store.setClasses([...store.classes(), { index: 3, name: 'd', color: '#123456' }])
    expect(pb.describes(store)).toBe(false)
  })
})
