import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { api } from '../../core/contract'
import { browseFiles } from './file-browser'

let base: string
let root: string
let outside: string
const browse = (dir?: string, kind?: 'project' | 'any') =>
  browseFiles({ appDataDir: root, browseRoots: [root] }, api['files:browse'].input.parse({ dir, kind }))

beforeEach(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'labelloop-browse-')))
  root = join(base, 'root')
  outside = join(base, 'outside')
  await mkdir(join(root, 'sub', 'deeper'), { recursive: true })
  await mkdir(outside)
  await writeFile(join(root, 'fields.labelloop'), '')
  await writeFile(join(root, 'notes.txt'), '')
  await writeFile(join(root, '.hidden.labelloop'), '')
  await writeFile(join(outside, 'secret.labelloop'), '')
  await symlink(outside, join(root, 'escape'))
  await symlink(join(root, 'sub'), join(root, 'shortcut'))
})

afterEach(async () => {
  await rm(base, { recursive: true, force: true })
})

describe('files:browse', () => {
  it('lists the roots, then folders and project files inside them', async () => {
    expect(await browse()).toEqual({ roots: [root], dir: null, parent: null, entries: [{ name: root, path: root, kind: 'dir' }] })
    const top = await browse(root)
    expect(top.parent).toBeNull()
    expect(top.entries).toEqual([
      { name: 'shortcut', path: join(root, 'shortcut'), kind: 'dir' },
      { name: 'sub', path: join(root, 'sub'), kind: 'dir' },
      { name: 'fields.labelloop', path: join(root, 'fields.labelloop'), kind: 'file' },
    ])
    expect((await browse(root, 'any')).entries.map((e) => e.name)).toContain('notes.txt')
    expect((await browse(join(root, 'sub'))).parent).toBe(root)
  })

  it('refuses anything outside the roots however it is spelled', async () => {
    await expect(browse(outside)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(browse(join(root, '..'))).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(browse(join(root, 'sub', '..', '..', 'outside'))).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(browse(join(root, 'escape'))).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(browse('root/sub')).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await expect(browse(`${root}/\0`)).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await expect(browse(join(root, 'missing'))).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })
})
