import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EventName, EventPayload, Input, Method, Output } from '../../../core/contract'
import { tempDir } from '../../../core/project/test-helpers'
import { bytes, floats, writeSuggestProject } from '../../../core/suggest/test-project'
import { createServiceHost, type ServiceHost } from '../index'

describe('suggest:run through the service host', () => {
  let tmp: ReturnType<typeof tempDir>
  let host: ServiceHost
  const events: { name: EventName; payload: unknown }[] = []
  const call = <M extends Method>(m: M, input: Input<M>): Promise<Output<M>> => host.dispatch(m, input) as Promise<Output<M>>

  beforeEach(async () => {
    tmp = tempDir('labelloop-suggest-service-')
    const store = await writeSuggestProject(join(tmp.dir, 'p.labelloop'), ['ground', 'vehicle'], [
      { name: 'labeled.png', rgb: [128, 128, 128], mask: bytes((x) => (x === 0 ? 1 : 0)) },
      { name: 'sure.png', rgb: [40, 200, 40], prediction: { mask: bytes(() => 0), confidence: floats(() => 0.99) } },
      { name: 'doubt.png', rgb: [200, 40, 40], prediction: { mask: bytes((x) => (x < 4 ? 1 : 0)), confidence: floats((x) => (x < 4 ? 0.55 : 0.99)) } },
    ])
    store.close()
    host = createServiceHost({ mode: 'cli', appDataDir: join(tmp.dir, 'app'), version: '0.0.0-test', nativeDialogs: false })
    host.onEvent((name, payload) => events.push({ name, payload }))
  })

  afterEach(async () => {
    await host.close()
    tmp.cleanup()
    events.length = 0
  })

  it('needs an open project, ranks with the active model and reports progress under its job id', async () => {
    await expect(call('suggest:run', { jobId: 'j0' })).rejects.toMatchObject({ code: 'NO_PROJECT' })
    await call('project:open', { path: join(tmp.dir, 'p.labelloop') })
    const r = await call('suggest:run', { jobId: 'j1', limit: 5 })
    expect(r).toMatchObject({ mode: 'model', runId: 1, candidates: 2, cancelled: false })
    expect(r.items.map((i) => [i.rank, i.imageName, i.className])).toEqual([[1, 'doubt.png', 'vehicle'], [2, 'sure.png', 'ground']])
    const progress = events.filter((e) => e.name === 'suggest:progress').map((e) => e.payload as EventPayload<'suggest:progress'>)
    expect(progress.every((p) => p.jobId === 'j1')).toBe(true)
    expect(progress.at(-1)).toEqual({ jobId: 'j1', done: 3, total: 3, image: null })
    // Cancelling a job that is not running is a no-op; the same id can run again once finished.
    expect(await call('suggest:cancel', { jobId: 'j1' })).toBeNull()
    expect((await call('suggest:run', { jobId: 'j1', limit: 1 })).items).toHaveLength(1)
    await expect(call('suggest:run', { jobId: 'j2', limit: 0 } as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' })
  })

  it('cancels a running job by its id: it resolves with what it read so far', async () => {
    await call('project:open', { path: join(tmp.dir, 'p.labelloop') })
    host.onEvent((name, payload) => {
      const p = payload as EventPayload<'suggest:progress'>
      if (name === 'suggest:progress' && p.done === 0) void call('suggest:cancel', { jobId: 'c1' })
    })
    const r = await call('suggest:run', { jobId: 'c1' })
    expect(r.cancelled).toBe(true)
    // The cancel lands while the first image (the labeled one) is read: nothing else is read or ranked.
    expect(r).toMatchObject({ candidates: 0, items: [] })
    expect(events.filter((e) => e.name === 'suggest:progress' && (e.payload as EventPayload<'suggest:progress'>).jobId === 'c1')).toHaveLength(1)
  })
})
