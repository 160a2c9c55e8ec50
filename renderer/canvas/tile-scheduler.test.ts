import { describe, expect, it } from 'vitest'
import { tileId, type TileKey } from './tile-math'
import { TileScheduler } from './tile-scheduler'

/** A scheduler whose loads resolve only when the test says so. */
function harness(maxInFlight = 2) {
  const pending = new Map<string, { resolve: (v: string) => void; reject: (e: Error) => void }>()
  const loaded: string[] = []
  const failed: string[] = []
  const discarded: string[] = []
  const s = new TileScheduler<string>({
    maxInFlight,
    load: (t) => new Promise<string>((resolve, reject) => pending.set(tileId(t), { resolve, reject })),
    onLoad: (t, v) => loaded.push(`${tileId(t)}=${v}`),
    onError: (t) => failed.push(tileId(t)),
    onDiscard: (v) => discarded.push(v),
  })
  const settle = async (id: string, ok = true): Promise<void> => {
    const p = pending.get(id)
    if (!p) throw new Error(`no request for ${id}`)
    pending.delete(id)
    if (ok) p.resolve(`v${id}`)
    else p.reject(new Error('boom'))
    await new Promise((r) => setTimeout(r, 0))
  }
  return { s, pending, loaded, failed, discarded, settle }
}

const t = (x: number, y = 0, level = 0): TileKey => ({ level, x, y })

describe('TileScheduler', () => {
  it('keeps at most maxInFlight requests running, in priority order', async () => {
    const h = harness(2)
    h.s.want([t(0), t(1), t(2), t(3)])
    expect([...h.pending.keys()]).toEqual(['0/0/0', '0/1/0'])
    expect(h.s.queued).toBe(2)
    await h.settle('0/0/0')
    expect([...h.pending.keys()]).toEqual(['0/1/0', '0/2/0'])
    expect(h.loaded).toEqual(['0/0/0=v0/0/0'])
  })

  it('a new wanted list drops queued tiles that left the view; running ones finish and are kept', async () => {
    const h = harness(1)
    h.s.want([t(0), t(1), t(2)])
    h.s.want([t(0), t(5)])
    expect(h.s.queued).toBe(1)
    await h.settle('0/0/0')
    expect([...h.pending.keys()]).toEqual(['0/5/0'])
    await h.settle('0/5/0')
    expect(h.s.requested).toBe(2)
    expect(h.loaded).toEqual(['0/0/0=v0/0/0', '0/5/0=v0/5/0'])
  })

  it('does not ask again for a tile that failed', async () => {
    const h = harness(1)
    h.s.want([t(0)])
    await h.settle('0/0/0', false)
    expect(h.failed).toEqual(['0/0/0'])
    h.s.want([t(0), t(1)])
    expect([...h.pending.keys()]).toEqual(['0/1/0'])
  })

  it('after dispose, nothing new starts and late results are discarded', async () => {
    const h = harness(1)
    h.s.want([t(0), t(1)])
    h.s.dispose()
    await h.settle('0/0/0')
    expect(h.loaded).toEqual([])
    expect(h.discarded).toEqual(['v0/0/0'])
    expect(h.pending.size).toBe(0)
    h.s.want([t(3)])
    expect(h.pending.size).toBe(0)
  })
})
