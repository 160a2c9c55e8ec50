/**
 * Two instances on one project — decided: safe sharing. Every change is one SQLite transaction in WAL
 * mode with a busy timeout, so two app windows, or the app and the CLI, may have the same project open:
 * their writes are serialised whole, never interleaved, and each sees the other's committed changes
 * (including a changed class list) before it validates the next save.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startCli } from '../../bench/reliability/crash/child'
import { writeNoisePngs } from '../../bench/reliability/crash/templates'
import { ProjectStore } from '../../core/project'
import { makeHost, maskPng, rgbPng, type TestHost } from './test-fixtures'

let a: TestHost
let b: TestHost
let file: string
let imageId: number
beforeEach(async () => {
  a = makeHost()
  b = makeHost()
  file = join(a.dir, 'shared.labelloop')
  await a.call('project:create', { path: file, name: 'Shared', classes: [{ name: 'ground' }, { name: 'road' }, { name: 'car' }] })
  mkdirSync(join(a.dir, 'imgs'))
  writeFileSync(join(a.dir, 'imgs', 'one.png'), await rgbPng(16, 12, 1))
  imageId = (await a.call('images:import', { jobId: 'setup', paths: [join(a.dir, 'imgs', 'one.png')] })).imported[0].id
  await b.call('project:open', { path: file })
})
afterEach(async () => {
  await a.cleanup()
  await b.cleanup()
})

describe('two instances on one project', () => {
  it('a window validates masks against the class list another window just changed', async () => {
    const withCar = (await maskPng(16, 12, (x) => (x < 8 ? 0 : 2))).toString('base64')
    // B has read the three classes (its class list is cached) before A drops "car".
    expect((await b.call('project:current', {}))?.classes).toHaveLength(3)
    await a.call('classes:update', { classes: [{ index: 0, name: 'ground', color: '#808080' }, { index: 1, name: 'road', color: '#ff0000' }] })
    await expect(b.call('masks:save', { imageId, pngBase64: withCar })).rejects.toMatchObject({ code: 'MASK_CLASS' })
    expect((await b.call('project:current', {}))?.classes.map((c) => c.name)).toEqual(['ground', 'road'])
  })

  it('the app saving masks while the CLI imports a folder: both complete, nothing lost or interleaved', async () => {
    await writeNoisePngs(join(a.dir, 'more'), 12, 128, 5)
    const cli = startCli(['import', file, join(a.dir, 'more'), '--json'], a.dir, join(a.dir, 'home'))
    const saved: number[] = []
    for (let i = 0; !cli.done() || i < 20; i++) {
      const png = (await maskPng(16, 12, (x, y) => ((x + y + i) % 2 === 0 ? 0 : 1))).toString('base64')
      saved.push((await a.call('masks:save', { imageId, pngBase64: png })).revisionId)
      if (i > 2000) break
    }
    const end = await cli.exited
    expect(end.code, cli.stderr()).toBe(0)
    expect(JSON.parse(cli.stdout())).toMatchObject({ failed: [] })
    const revisions = (await b.call('masks:revisions', { imageId })).map((r) => r.id)
    expect(revisions.slice().reverse()).toEqual(saved)
    expect((await b.call('images:list', {})).total).toBe(13)
    await a.call('project:close', {})
    await b.call('project:close', {})
    const store = ProjectStore.open(file)
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok')
    store.close()
  })
})
