import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { pngWithSize } from '../../bench/reliability/fuzz/mutate'
import { makeHost, rgbPng, type TestHost } from './test-fixtures'

let t: TestHost
beforeEach(() => {
  t = makeHost()
})
afterEach(async () => {
  await t.cleanup()
})

describe('importing an image over the memory budget', () => {
  it('says the image is too large to decode (not that it is damaged) and imports the rest', async () => {
    await t.call('project:create', { path: join(t.dir, 'p.labelloop'), name: 'P', classes: [{ name: 'a' }, { name: 'b' }] })
    const ok = await rgbPng(16, 16, 1)
    writeFileSync(join(t.dir, 'ok.png'), ok)
    writeFileSync(join(t.dir, 'bomb.png'), pngWithSize(ok, 50000, 50000))
    const result = await t.call('images:import', { jobId: 'j', paths: [join(t.dir, 'ok.png'), join(t.dir, 'bomb.png')] })
    expect(result.imported).toHaveLength(1)
    expect(result.failed).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^bomb\.png: the header declares 50000×50000 pixels, more than LabelLoop decodes in memory/) })])
  })
})
