import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ProjectStore } from '../../../core/project'
import { fakeImage, tempDir } from '../../../core/project/test-helpers'
import { storedPrediction } from './predictions'

describe('storedPrediction', () => {
  let cleanup: () => void
  let store: ProjectStore
  let image: number
  let other: number

  const run = (): number => {
    const id = Number(store.db.prepare(`INSERT INTO runs (created_at, status, config) VALUES ('2025-01-01', 'done', '{}')`).run().lastInsertRowid)
    store.db.prepare(`INSERT INTO checkpoints (run_id, epoch, created_at, is_best, topology, weights) VALUES (?, 1, '2025-01-01', 1, '{}', x'00')`).run(id)
    return id
  }
  const round = (runId: number, imageId: number, mask: string, confidence: string | null): number => {
    const roundId = Number(store.db.prepare(`INSERT INTO rounds (run_id, created_at, status) VALUES (?, '2025-01-02', 'done')`).run(runId).lastInsertRowid)
    store.db
      .prepare(`INSERT INTO pseudo_labels (round_id, image_id, mask_png, confidence_png, mean_confidence, created_at) VALUES (?, ?, ?, ?, 0.8, '2025-01-02')`)
      .run(roundId, imageId, Buffer.from(mask), confidence === null ? null : Buffer.from(confidence))
    return roundId
  }

  beforeEach(() => {
    const t = tempDir('labelloop-pred-')
    cleanup = t.cleanup
    store = ProjectStore.create(join(t.dir, 'p.labelloop'), 'p', [{ name: 'a' }, { name: 'b' }])
    image = store.images.insert(fakeImage('x'))
    other = store.images.insert(fakeImage('y'))
  })
  afterEach(() => {
    store.close()
    cleanup()
  })

  it('is null without an active model or without a prediction of that image', () => {
    expect(storedPrediction(store, image)).toBeNull()
    const r = run()
    round(r, other, 'mask-y', null)
    expect(storedPrediction(store, image)).toBeNull()
  })

  it('returns the newest round of the active model, with both maps', () => {
    const r = run()
    round(r, image, 'old-mask', 'old-conf')
    const newest = round(r, image, 'new-mask', 'new-conf')
    const p = storedPrediction(store, image)
    expect(p).toMatchObject({ imageId: image, runId: r, roundId: newest, meanConfidence: 0.8 })
    expect(Buffer.from(p?.maskPngBase64 ?? '', 'base64').toString()).toBe('new-mask')
    expect(Buffer.from(p?.confidencePngBase64 ?? '', 'base64').toString()).toBe('new-conf')
  })

  it('ignores rounds of other runs than the active one', () => {
    const first = run()
    const firstRound = round(first, image, 'by-first', null)
    const second = run()
    round(second, image, 'by-second', null)
    store.db.prepare(`INSERT INTO meta (key, value) VALUES ('active_run_id', ?)`).run(String(first))
    const p = storedPrediction(store, image)
    expect(p?.roundId).toBe(firstRound)
    expect(p?.confidencePngBase64).toBeNull()
  })
})
