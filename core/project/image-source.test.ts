import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { MaskSource } from '../contract'
import { ProjectStore } from './store'
import { fakeImage, tempDir } from './test-helpers'

let tmp: ReturnType<typeof tempDir>
let store: ProjectStore
beforeEach(() => {
  tmp = tempDir()
  store = ProjectStore.create(join(tmp.dir, 'p.labelloop'), 'p', [{ name: 'ground' }, { name: 'road' }])
})
afterEach(() => {
  store.close()
  tmp.cleanup()
})

describe('images by where their mask came from', () => {
  it('lists the current mask\'s source and filters by it, so accepted pseudo-labels are not mistaken for scribbles', () => {
    const ids: number[] = []
    const sources: (MaskSource | null)[] = ['human', 'pseudo-accepted', 'import', null, 'pseudo-accepted']
    sources.forEach((source, i) => {
      const id = store.images.insert(fakeImage(i))
      ids.push(id)
      if (source) store.masks.save(id, { png: Buffer.from([i]), source, labeledFraction: 0.4, classPixels: [4, 0] })
    })
    expect(store.images.list({ sort: 'added' }).items.map((i) => i.source)).toEqual(sources)
    expect(store.images.list({ source: ['pseudo-accepted'] }).items.map((i) => i.id)).toEqual([ids[1], ids[4]])
    expect(store.images.list({ source: ['human', 'import'], status: ['partial'] }).total).toBe(2)
    expect(store.images.list({ source: [] }).total).toBe(0)
    // Editing an accepted pseudo-label by hand makes it a human label.
    store.masks.save(ids[1], { png: Buffer.from([9]), source: 'human', labeledFraction: 0.5, classPixels: [5, 0] })
    expect(store.images.get(ids[1]).source).toBe('human')
    expect(store.images.list({ source: ['pseudo-accepted'] }).items.map((i) => i.id)).toEqual([ids[4]])
  })
})
