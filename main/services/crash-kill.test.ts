/**
 * Fixed kill points of the crash harness (bench/reliability/crash): real child processes running the CLI
 * or the services, SIGKILLed at a step of their work (after so many acknowledged saves, epochs, imported
 * images), then the project is reopened and checked. The benchmark runs ≥ 50 timed kill points each.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Child } from '../../bench/reliability/crash/child'
import { killWhen, prepare } from '../../bench/reliability/crash/harness'
import { SCENARIOS, type Scenario } from '../../bench/reliability/crash/scenarios'

const root = mkdtempSync(join(tmpdir(), 'labelloop-crash-test-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const scenario = (name: string): Scenario => {
  const s = SCENARIOS.find((x) => x.name === name)
  if (!s) throw new Error(`no scenario ${name}`)
  return s
}
const lines = (text: string, pattern: RegExp): number => text.split('\n').filter((l) => pattern.test(l)).length

describe('SIGKILL at fixed steps', () => {
  it('keeps every acknowledged mask save bit for bit (killed after 80 saves)', async () => {
    const p = await prepare(scenario('mask-save burst'), root, false)
    const r = await killWhen(p, root, 1, (c: Child) => lines(c.stdout(), /^\{/) >= 80)
    expect(r.problems).toEqual([])
    expect(r.killedWhileRunning).toBe(true)
    expect(r.notes.acknowledged).toBeGreaterThanOrEqual(80)
  })

  it('never leaves a half-imported image, and a re-import brings the rest', async () => {
    const p = await prepare(scenario('folder import'), root, false)
    const r = await killWhen(p, root, 3, (c) => /import: \d+\/24/.test(c.stderr()))
    expect(r.problems).toEqual([])
    expect(r.killedWhileRunning).toBe(true)
  })

  it('marks a training killed after its third epoch failed, and --resume continues after the last checkpoint', async () => {
    const p = await prepare(scenario('training'), root, false)
    const r = await killWhen(p, root, 4, (c) => /epoch 3\/12/.test(c.stderr()))
    expect(r.problems).toEqual([])
    expect(r.killedWhileRunning).toBe(true)
    expect(r.notes).toMatchObject({ failed: 1 })
    expect(r.notes.checkpointEpoch).toBeGreaterThanOrEqual(1)
  }, 180_000)

  it('marks a pseudo-label round killed mid-round failed with the reason when the project is opened again', async () => {
    const p = await prepare(scenario('pseudo-label round'), root, false)
    const r = await killWhen(p, root, 6, (c) => /predict: 2\/40/.test(c.stderr()))
    expect(r.problems).toEqual([])
    expect(r.killedWhileRunning).toBe(true)
    expect(r.notes).toMatchObject({ done: 0, unfinished: 1, failedWithReason: 1 })
  }, 180_000)

  it('migrates an old project all or nothing when killed while opening it', async () => {
    const p = await prepare(scenario('migration on open'), root, false)
    const r = await killWhen(p, root, 5, (c) => c.stdout().length > 0 || c.stderr().length > 0)
    expect(r.problems).toEqual([])
  })
})
