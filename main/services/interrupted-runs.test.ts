import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TrainConfig } from '../../core/contract'
import { ProjectStore } from '../../core/project'
import { RunRepo } from '../../core/train/loop/run-repo'
import { makeHost, type TestHost } from './test-fixtures'

describe('opening a project with a run its killed trainer left running', () => {
  let t: TestHost
  beforeEach(() => {
    t = makeHost()
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('shows the run as failed with the reason, ready to resume', async () => {
    const path = join(t.dir, 'p.labelloop')
    const store = ProjectStore.create(path, 'p', [{ name: 'a' }, { name: 'b' }])
    const runs = new RunRepo(store)
    const id = runs.create(TrainConfig.parse({}))
    runs.markRunning(id, 'wasm', 'CPU')
    store.db.prepare('UPDATE runs SET trainer_pid = ? WHERE id = ?').run(spawnSync(process.execPath, ['-e', '0']).pid, id)
    store.close()

    await t.call('project:open', { path })
    const run = await t.call('runs:get', { id })
    expect(run.status).toBe('failed')
    expect(run.error).toMatch(/^interrupted: its trainer process/)
  })
})
