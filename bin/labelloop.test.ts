import { spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

const launcher = resolve(__dirname, 'labelloop.js')
let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'labelloop-bin-test-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [launcher, ...args], {
    cwd: dir,
    env: { ...process.env, LABELLOOP_HOME: join(dir, 'home') },
    encoding: 'utf8',
    timeout: 60_000,
  })
  return { status: res.status, stdout: res.stdout, stderr: res.stderr }
}

describe('bin/labelloop.js as a real process', () => {
  it('prints help from any working directory', () => {
    const res = run(['--help'])
    expect(res.status).toBe(0)
    expect(res.stdout).toContain('Usage: labelloop')
    expect(res.stdout).toContain('import [options] <project> <paths...>')
  })

  it('creates a project and shows it with info --json; failures exit non-zero', () => {
    const created = run(['new', 'x.labelloop', '--classes', 'sky,sea', '--json'])
    expect(created.stderr).toBe('')
    expect(created.status).toBe(0)
    const info = run(['info', 'x.labelloop', '--json'])
    expect(info.status).toBe(0)
    expect(JSON.parse(info.stdout)).toMatchObject({ path: join(dir, 'x.labelloop'), name: 'x', classes: [{ name: 'sky' }, { name: 'sea' }] })
    const missing = run(['info', 'nope.labelloop', '--json'])
    expect(missing.status).toBe(1)
    expect(missing.stderr).toBe(`labelloop: ${join(dir, 'nope.labelloop')}: no such project file\n`)
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { code: 'NOT_FOUND' } })
  })
})
