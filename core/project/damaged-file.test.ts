import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ProjectStore } from './store'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'labelloop-damaged-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('a project file damaged after it was opened', () => {
  it('closes quietly even when PRAGMA optimize meets the damage (close used to throw a raw SqliteError)', () => {
    const file = join(dir, 'p.labelloop')
    const store = ProjectStore.create(file, 'P', [{ name: 'a' }, { name: 'b' }])
    store.close()
    // Zero every page after the schema page: the header and sqlite_schema stay, the tables' b-trees are gone.
    const bytes = readFileSync(file)
    const pageSize = bytes.readUInt16BE(16)
    bytes.fill(0, pageSize)
    writeFileSync(file, bytes)
    let opened: ProjectStore | null = null
    try {
      opened = ProjectStore.open(file)
    } catch (err) {
      expect(err).toMatchObject({ code: 'CORRUPT_PROJECT', message: expect.stringContaining(file) })
    }
    if (opened) expect(() => opened?.close()).not.toThrow()
  })
})
