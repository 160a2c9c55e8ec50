/**
 * A project on a read-only volume (a tmpfs the test mounts and remounts read-only; as root, file modes
 * alone do not stop writes). Opening it must fail with a clear error naming the file, not a raw SQLite one.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ProjectStore } from '../../core/project'
import { makeHost } from './test-fixtures'

let mountDir = ''
let mounted = false
let why = ''
beforeAll(() => {
  mountDir = mkdtempSync(join(tmpdir(), 'labelloop-readonly-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountDir], { stdio: 'pipe' })
    mounted = true
    ProjectStore.create(join(mountDir, 'p.labelloop'), 'RO', [{ name: 'a' }, { name: 'b' }]).close()
    execFileSync('mount', ['-o', 'remount,ro', mountDir], { stdio: 'pipe' })
  } catch (err) {
    why = (err as Error).message.split('\n')[0]
  }
})
afterAll(() => {
  if (mounted) execFileSync('umount', [mountDir])
  rmSync(mountDir, { recursive: true, force: true })
})

describe('a read-only project', () => {
  it('is refused on open with IO naming the file and saying it cannot be written', async (ctx) => {
    if (!mounted || why) ctx.skip(`cannot mount a read-only tmpfs here (${why})`)
    const t = makeHost()
    try {
      const file = join(mountDir, 'p.labelloop')
      const err = await t.call('project:open', { path: file }).catch((e: unknown) => e)
      expect(err).toMatchObject({ code: 'IO', message: expect.stringContaining(file) })
      expect((err as Error).message).toMatch(/read-only|readonly|write/i)
      expect(await t.call('project:current', {})).toBeNull()
    } finally {
      await t.cleanup()
    }
  })
})
