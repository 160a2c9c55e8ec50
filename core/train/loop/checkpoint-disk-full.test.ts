/**
 * Disk full while a checkpoint is written, through SQLite's own PRAGMA max_page_count (the way
 * core/project/page-limit.test.ts fills the disk; main/services/disk-full.test.ts uses a real tmpfs for
 * mask saves and imports): the save fails with DISK_FULL naming the project, the last good checkpoint stays
 * the run's latest (and best) and resumable, and the next checkpoint is written once space is back.
 */
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TrainConfig } from '../../contract'
import { ProjectStore } from '../../project'
import { tempDir } from '../../project/test-helpers'
import { RunRepo } from './run-repo'
import type { CheckpointData, LoopState } from './state'

const checkpoint = (epoch: number): CheckpointData => ({
  epoch,
  isBest: true,
  metric: 'macroF1',
  metricValue: 0.1 * epoch,
  // Incompressible weights and optimizer slots about the size of a small model's (a few hundred KiB).
  model: { topology: JSON.stringify({ modelTopology: {}, weightSpecs: [] }), weights: randomBytes(300_000) },
  optimizer: { data: randomBytes(600_000), specs: [] },
  state: { epochs: [], best: null } as unknown as LoopState,
})

describe('disk full during a training checkpoint', () => {
  let tmp: ReturnType<typeof tempDir>
  let store: ProjectStore
  beforeEach(() => {
    tmp = tempDir('labelloop-ckpt-full-')
    store = ProjectStore.create(join(tmp.dir, 'p.labelloop'), 'p', [{ name: 'a' }, { name: 'b' }])
  })
  afterEach(() => {
    store.close()
    tmp.cleanup()
  })

  it('fails with DISK_FULL, keeps the last good checkpoint, and checkpoints again once space is back', () => {
    const runs = new RunRepo(store)
    const run = runs.create(TrainConfig.parse({}))
    runs.markRunning(run, 'wasm', 'CPU')
    const good = checkpoint(1)
    const first = runs.saveCheckpoint(run, good)
    const pages = store.db.pragma('page_count', { simple: true }) as number
    store.db.pragma(`max_page_count = ${pages + 8}`)

    expect(() => runs.saveCheckpoint(run, checkpoint(2))).toThrow(expect.objectContaining({ code: 'DISK_FULL', message: expect.stringContaining(store.path) }))
    // The failed write is rolled back whole: the epoch-1 checkpoint is still the latest and the best, bit for bit.
    const latest = runs.latestCheckpoint(run)
    expect(latest?.id).toBe(first)
    expect(latest?.epoch).toBe(1)
    expect(latest?.isBest).toBe(true)
    expect(Buffer.compare(latest!.model.weights, good.model.weights)).toBe(0)
    expect(runs.bestCheckpoint(run)?.id).toBe(first)
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM checkpoints WHERE run_id = ?').get(run)).toEqual({ n: 1 })

    store.db.pragma('max_page_count = 1073741823')
    const next = runs.saveCheckpoint(run, checkpoint(2))
    expect(runs.latestCheckpoint(run)).toMatchObject({ id: next, epoch: 2 })
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok')
  })
})
