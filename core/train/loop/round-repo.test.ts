import { spawn, spawnSync } from 'node:child_process'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TrainConfig } from '../../contract'
import { ProjectStore } from '../../project'
import { PseudoLabelRepo } from '../../project/pseudo-label-repo'
import { tempDir } from '../../project/test-helpers'
import { RoundRepo } from './round-repo'
import { RunRepo } from './run-repo'

describe('rounds left running by a process that is gone', () => {
  let tmp: ReturnType<typeof tempDir>
  let store: ProjectStore
  beforeEach(() => {
    tmp = tempDir('labelloop-rounds-')
    store = ProjectStore.create(join(tmp.dir, 'p.labelloop'), 'p', [{ name: 'a', color: '#ff0000' }, { name: 'b', color: '#00ff00' }])
  })
  afterEach(() => {
    store.close()
    tmp.cleanup()
  })

  const newRound = (rounds: RoundRepo): number => {
    const runId = new RunRepo(store).create(TrainConfig.parse({}))
    // A round without a checkpoint row is enough here (the column is nullable; the owner is what counts).
    const id = rounds.create(runId, 0, { images: 'unlabeled' })
    store.db.prepare('UPDATE rounds SET checkpoint_id = NULL WHERE id = ?').run(id)
    return id
  }

  it('records its owner; becomes failed with the reason once its process has ended; live, finished, other machines\' and pre-migration rounds stay', () => {
    const rounds = new RoundRepo(store)
    store.db.pragma('foreign_keys = OFF')
    const live = newRound(rounds)
    const dead = newRound(rounds)
    const elsewhere = newRound(rounds)
    const done = newRound(rounds)
    const ownerless = newRound(rounds)
    store.db.pragma('foreign_keys = ON')
    rounds.finish(done, 'done')
    expect(store.db.prepare('SELECT owner_pid AS pid, owner_host AS host FROM rounds WHERE id = ?').get(live)).toEqual({ pid: process.pid, host: hostname() })
    const exited = spawnSync(process.execPath, ['-e', '0']).pid
    store.db.prepare('UPDATE rounds SET owner_pid = ? WHERE id IN (?, ?)').run(exited, dead, done)
    store.db.prepare('UPDATE rounds SET owner_pid = ?, owner_host = ? WHERE id = ?').run(exited, `not-${hostname()}`, elsewhere)
    store.db.prepare('UPDATE rounds SET owner_pid = NULL, owner_host = NULL WHERE id = ?').run(ownerless)

    expect(rounds.failInterrupted()).toEqual([dead])
    const row = (id: number): { status: string; error: string | null; finished_at: string | null } =>
      store.db.prepare('SELECT status, error, finished_at FROM rounds WHERE id = ?').get(id) as { status: string; error: string | null; finished_at: string | null }
    expect(row(dead).status).toBe('failed')
    expect(row(dead).error).toMatch(new RegExp(`^interrupted: its process \\(pid ${exited}\\) ended before the round finished`))
    expect(row(dead).finished_at).not.toBeNull()
    expect(row(live).status).toBe('running')
    expect(row(elsewhere).status).toBe('running')
    expect(row(ownerless).status).toBe('running')
    expect(row(done)).toMatchObject({ status: 'done', error: null })
    expect(rounds.failInterrupted()).toEqual([])
    // The reason reaches the rounds list the UI shows.
    expect(new PseudoLabelRepo(store).round(dead).error).toBe(row(dead).error)
  })

  it('a round created by a real process that is then SIGKILLed is failed with the reason on the next check', async () => {
    store.close()
    const file = join(tmp.dir, 'p.labelloop')
    const script = `
      import { ProjectStore } from './core/project/index.ts'
      import { RunRepo } from './core/train/loop/run-repo.ts'
      import { RoundRepo } from './core/train/loop/round-repo.ts'
      import { TrainConfig } from './core/contract/index.ts'
      const store = ProjectStore.open(${JSON.stringify(file)})
      store.db.pragma('foreign_keys = OFF')
      const run = new RunRepo(store).create(TrainConfig.parse({}))
      const id = new RoundRepo(store).create(run, 0, { images: 'unlabeled' })
      console.log('round ' + id)
      setInterval(() => {}, 1000)
    `
    const node = join(process.cwd(), 'node_modules/.bin/node')
    const child = spawn(node, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        if (/round \d+/.test(out)) resolve()
      })
      child.on('exit', (code) => reject(new Error(`child exited ${code}: ${err}`)))
    })
    const exited = new Promise((resolve) => child.on('exit', resolve))
    child.kill('SIGKILL')
    await exited
    store = ProjectStore.open(file)
    const id = Number(/round (\d+)/.exec(out)?.[1])
    expect(store.db.prepare('SELECT status FROM rounds WHERE id = ?').get(id)).toEqual({ status: 'running' })
    expect(new RoundRepo(store).failInterrupted()).toEqual([id])
    const row = store.db.prepare('SELECT status, error FROM rounds WHERE id = ?').get(id) as { status: string; error: string }
    expect(row.status).toBe('failed')
    expect(row.error).toContain(`pid ${child.pid}`)
  }, 60_000)
})
