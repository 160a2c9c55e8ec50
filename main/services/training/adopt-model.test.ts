import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TrainConfig } from '../../../core/contract'
import { ProjectStore } from '../../../core/project'
import { tempDir } from '../../../core/project/test-helpers'
import { RunRepo } from '../../../core/train/loop/run-repo'
import { adoptIfNoModel, preparingMessage } from './supervisor'

describe('a cancelled run with a checkpoint', () => {
  let tmp: ReturnType<typeof tempDir>
  let store: ProjectStore
  let runs: RunRepo
  beforeEach(() => {
    tmp = tempDir('labelloop-adopt-')
    store = ProjectStore.create(join(tmp.dir, 'p.labelloop'), 'p', [{ name: 'a', color: '#ff0000' }, { name: 'b', color: '#00ff00' }])
    runs = new RunRepo(store)
  })
  afterEach(() => {
    store.close()
    tmp.cleanup()
  })

  /** A run that ended with `status`, with a best checkpoint at epoch 1 when `checkpoint`. */
  function ended(status: 'cancelled' | 'completed' | 'failed', checkpoint: boolean): number {
    const id = runs.create(TrainConfig.parse({}))
    runs.markRunning(id, 'wasm', 'CPU')
    if (checkpoint) {
      store.db.prepare(`INSERT INTO checkpoints (run_id, epoch, created_at, metric_name, metric_value, is_best, topology, weights, optimizer, state)
        VALUES (?, 1, '2026-01-01', 'macroF1', 0.5, 1, '{}', x'00', NULL, '{"loop":{}}')`).run(id)
    }
    runs.setStatus(id, status)
    return id
  }

  it('becomes the active model when the project has none, and the answer says so', () => {
    const id = ended('cancelled', true)
    expect(runs.activeRunId()).toBeNull()
    const run = adoptIfNoModel(runs, runs.get(id))
    expect(run.active).toBe(true)
    expect(runs.activeRunId()).toBe(id)
  })

  it('leaves an existing model, a run without a checkpoint and a failed run alone', () => {
    const model = ended('completed', true)
    const later = ended('cancelled', true)
    expect(adoptIfNoModel(runs, runs.get(later)).active).toBe(false)
    expect(runs.activeRunId()).toBe(model)

    runs.delete(model)
    const empty = ended('cancelled', false)
    expect(adoptIfNoModel(runs, runs.get(empty)).active).toBe(false)
    const failed = ended('failed', true)
    runs.delete(later)
    expect(adoptIfNoModel(runs, runs.get(failed)).active).toBe(false)
    expect(runs.activeRunId()).toBeNull()
  })
})

describe('preparingMessage', () => {
  it('says the trainer\'s backend logs in words', () => {
    expect(preparingMessage('backend wasm: CPU (WebAssembly SIMD)')).toBe('started the wasm backend (CPU (WebAssembly SIMD))')
    expect(preparingMessage('backend tensorflow not used: not installed')).toBe('tensorflow is not available: not installed')
    expect(preparingMessage('something else')).toBe('something else')
  })
})
