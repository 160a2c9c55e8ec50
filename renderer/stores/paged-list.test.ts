import { describe, expect, it } from 'vitest'
import { PagedList, type Page } from './paged-list'

/** A fake listing of `total` numbered rows that records every request and can be held back. */
function listing(total: number) {
  const calls: Array<[number, number]> = []
  const held: Array<() => void> = []
  let hold = false
  const fetchPage = (offset: number, limit: number): Promise<Page<number>> => {
    calls.push([offset, limit])
    const page = { total, items: Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => offset + i) }
    if (!hold) return Promise.resolve(page)
    return new Promise((resolve) => held.push(() => resolve(page)))
  }
  return {
    calls,
    fetchPage,
    holdNext: () => (hold = true),
    release: () => {
      hold = false
      held.splice(0).forEach((r) => r())
    },
  }
}

describe('PagedList', () => {
  it('loads only the pages a range touches and serves rows from them', async () => {
    const src = listing(1000)
    let changes = 0
    const list = new PagedList(100, src.fetchPage, () => changes++)
    await list.ensureRange(150, 320)
    expect(src.calls).toEqual([[100, 100], [200, 100], [300, 100]])
    expect(list.total).toBe(1000)
    expect(list.get(150)).toBe(150)
    expect(list.get(399)).toBe(399)
    expect(list.get(99)).toBeUndefined()
    expect(changes).toBe(3)
  })

  it('never requests a page twice, even while it is still loading', async () => {
    const src = listing(500)
    const list = new PagedList(100, src.fetchPage)
    src.holdNext()
    const a = list.ensureRange(0, 50)
    const b = list.ensureRange(10, 90)
    src.release()
    await Promise.all([a, b])
    await list.ensureRange(0, 99)
    expect(src.calls).toEqual([[0, 100]])
  })

  it('does not ask past the end once the total is known', async () => {
    const src = listing(120)
    const list = new PagedList(100, src.fetchPage)
    await list.ensureRange(0, 10)
    await list.ensureRange(0, 5000)
    expect(src.calls).toEqual([[0, 100], [100, 100]])
    expect(list.get(119)).toBe(119)
    expect(list.get(120)).toBeUndefined()
  })

  it('drops answers that arrive after a reset', async () => {
    const src = listing(300)
    const list = new PagedList(100, src.fetchPage)
    src.holdNext()
    const stale = list.ensureRange(0, 10)
    list.reset()
    src.release()
    await stale
    expect(list.loaded).toBe(false)
    expect(list.get(0)).toBeUndefined()
    await list.ensureRange(0, 10)
    expect(list.get(5)).toBe(5)
    expect(src.calls.length).toBe(2)
  })

  it('keeps at most maxPages pages, evicting the farthest ones', async () => {
    const src = listing(10_000)
    const list = new PagedList(100, src.fetchPage, () => undefined, 3)
    await list.ensureRange(0, 0)
    await list.ensureRange(100, 100)
    await list.ensureRange(200, 200)
    await list.ensureRange(5000, 5000)
    expect(list.get(0)).toBeUndefined()
    expect(list.get(5000)).toBe(5000)
    expect(list.get(200)).toBe(200)
  })

  it('lets a failed page be retried', async () => {
    let fail = true
    const list = new PagedList<number>(10, async (offset, limit) => {
      if (fail) throw new Error('network down')
      return { total: 20, items: Array.from({ length: limit }, (_, i) => offset + i) }
    })
    await expect(list.ensureRange(0, 5)).rejects.toThrow('network down')
    fail = false
    await list.ensureRange(0, 5)
    expect(list.get(3)).toBe(3)
  })
})
