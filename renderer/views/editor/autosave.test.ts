import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Autosave, type SaveStatus } from './autosave'

/**
 * A fake document: `version` grows with each edit, `saved` is the version stored; `save` stores the
 * version read when it starts (like snapshot → masks:save → markSaved) and takes `saveMs` of time.
 */
function setup(opts: { saveMs?: number; fail?: () => boolean } = {}) {
  const doc = { version: 0, saved: 0, saves: [] as number[] }
  const statuses: SaveStatus['kind'][] = []
  const autosave = new Autosave({
    isDirty: () => doc.version !== doc.saved,
    save: async () => {
      const v = doc.version
      await new Promise((r) => setTimeout(r, opts.saveMs ?? 100))
      if (opts.fail?.()) throw new Error('disk full')
      doc.saves.push(v)
      doc.saved = v
    },
    onStatus: (s) => statuses.push(s.kind),
    idleMs: 1000,
    maxWaitMs: 5000,
    retryMs: 3000,
  })
  const edit = (): void => {
    doc.version++
    autosave.changed()
  }
  return { doc, statuses, autosave, edit }
}

describe('Autosave', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('saves once, a second after the last change', async () => {
    const { doc, autosave, edit } = setup()
    edit()
    await vi.advanceTimersByTimeAsync(600)
    edit()
    await vi.advanceTimersByTimeAsync(900)
    expect(doc.saves).toEqual([])
    expect(autosave.status.kind).toBe('dirty')
    await vi.advanceTimersByTimeAsync(100)
    expect(autosave.status.kind).toBe('saving')
    await vi.advanceTimersByTimeAsync(100)
    expect(doc.saves).toEqual([2])
    expect(autosave.status.kind).toBe('saved')
    await vi.advanceTimersByTimeAsync(10_000)
    expect(doc.saves).toEqual([2])
  })

  it('saves at the latest maxWaitMs after the first change while the user keeps painting', async () => {
    const { doc, edit } = setup()
    for (let t = 0; t < 5000; t += 500) {
      edit()
      await vi.advanceTimersByTimeAsync(500)
    }
    // The save started at 5 s (the idle timer never ran out) and takes 100 ms.
    expect(doc.saves).toEqual([])
    await vi.advanceTimersByTimeAsync(100)
    expect(doc.saves).toEqual([10])
  })

  it('keeps a change made during a save dirty and saves it afterwards', async () => {
    const { doc, autosave, edit, statuses } = setup({ saveMs: 400 })
    edit()
    await vi.advanceTimersByTimeAsync(1000)
    expect(autosave.saving).toBe(true)
    edit()
    await vi.advanceTimersByTimeAsync(400)
    expect(doc.saves).toEqual([1])
    expect(autosave.status.kind).toBe('dirty')
    await vi.advanceTimersByTimeAsync(1400)
    expect(doc.saves).toEqual([1, 2])
    expect(autosave.status.kind).toBe('saved')
    expect(statuses).toEqual(['dirty', 'saving', 'dirty', 'saving', 'saved'])
  })

  it('flush saves at once, waits for a running save, and saves what changed meanwhile', async () => {
    const { doc, autosave, edit } = setup({ saveMs: 300 })
    edit()
    await vi.advanceTimersByTimeAsync(1000)
    edit()
    const flushed = autosave.flush()
    await vi.advanceTimersByTimeAsync(600)
    expect(await flushed).toBe(true)
    expect(doc.saves).toEqual([1, 2])
    expect(autosave.status.kind).toBe('saved')
  })

  it('flush with nothing unsaved does not save', async () => {
    const { doc, autosave } = setup()
    expect(await autosave.flush()).toBe(true)
    expect(doc.saves).toEqual([])
  })

  it('shows a failed save as an error, retries it later, and clears the error on success', async () => {
    let failing = true
    const { doc, autosave, edit } = setup({ fail: () => failing })
    edit()
    await vi.advanceTimersByTimeAsync(1100)
    expect(autosave.status).toEqual({ kind: 'error', message: 'disk full' })
    expect(doc.saved).toBe(0)
    await vi.advanceTimersByTimeAsync(3100)
    expect(autosave.status.kind).toBe('error')
    failing = false
    await vi.advanceTimersByTimeAsync(3100)
    expect(doc.saves).toEqual([1])
    expect(autosave.status.kind).toBe('saved')
  })

  it('flush reports a failure as false', async () => {
    const { autosave, edit } = setup({ fail: () => true })
    edit()
    const flushed = autosave.flush()
    await vi.advanceTimersByTimeAsync(100)
    expect(await flushed).toBe(false)
    expect(autosave.status.kind).toBe('error')
  })

  it('an undo back to the saved version needs no save', async () => {
    const { doc, autosave, edit } = setup()
    edit()
    doc.version = 0
    autosave.changed()
    expect(autosave.status.kind).toBe('saved')
    await vi.advanceTimersByTimeAsync(6000)
    expect(doc.saves).toEqual([])
  })

  it('dispose stops scheduled saves', async () => {
    const { doc, autosave, edit } = setup()
    edit()
    autosave.dispose()
    await vi.advanceTimersByTimeAsync(6000)
    expect(doc.saves).toEqual([])
  })
})
