import { spawnSync } from 'node:child_process'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TrainConfig } from '../../contract'
import { ProjectStore } from '../../project'
import { tempDir } from '../../project/test-helpers'
import { RunRepo } from './run-repo'

describe('runs left running by a trainer that is gone', () => {
  let tmp: ReturnType<typeof tempDir>
  let store: ProjectStore
  beforeEach(() => {
    tmp = tempDir('labelloop-runs-')
    store = ProjectStore.create(join(tmp.dir, 'p.labelloop'), 'p', [{ name: 'a', color: '#ff0000' }, { name: 'b', color: '#00ff00' }])
  })
  afterEach(() => {
    store.close()
    tmp.cleanup()
  })

  it('become failed with the reason when their process has ended; live, finished and other machines\' runs stay', () => {
    const runs = new RunRepo(store)
    const config = TrainConfig.parse({})
    const live = runs.create(config)
    const dead = runs.create(config)
    const elsewhere = runs.create(config)
    const done = runs.create(config)
    for (const id of [live, dead, elsewhere, done]) runs.markRunning(id, 'wasm', 'CPU')
    runs.setStatus(done, 'completed')
    // A pid that surely no longer exists: a child process that has exited.
    const exited = spawnSync(process.execPath, ['-e', '0']).pid
    store.db.prepare('UPDATE runs SET trainer_pid = ? WHERE id = ?').run(exited, dead)
    store.db.prepare('UPDATE runs SET trainer_pid = ?, trainer_host = ? WHERE id = ?').run(exited, `not-${hostname()}`, elsewhere)

    expect(runs.failInterrupted()).toEqual([dead])
    expect(runs.get(dead).status).toBe('failed')
    expect(runs.get(dead).error).toMatch(new RegExp(`^interrupted: its trainer process \\(pid ${exited}\\) ended without finishing`))
    expect(runs.get(live).status).toBe('running')
    expect(runs.get(elsewhere).status).toBe('running')
    expect(runs.get(done).status).toBe('completed')
    // Resuming clears the failure and records the new trainer.
    runs.markRunning(dead, 'wasm', 'CPU')
    expect(runs.get(dead).status).toBe('running')
    expect(runs.get(dead).error).toBeNull()
    expect(runs.failInterrupted()).toEqual([])
  })

  it('a queued run whose creating process died before any trainer took it becomes failed too', () => {
    const runs = new RunRepo(store)
    const orphan = runs.create(TrainConfig.parse({}))
    const waiting = runs.create(TrainConfig.parse({}))
    const exited = spawnSync(process.execPath, ['-e', '0']).pid
    store.db.prepare('UPDATE runs SET trainer_pid = ? WHERE id = ?').run(exited, orphan)
    expect(runs.failInterrupted()).toEqual([orphan])
    expect(runs.get(orphan).error).toMatch(/^interrupted: the process that queued it .* ended before a trainer started/)
    expect(runs.get(waiting).status).toBe('queued')
  })
})
