/**
 * A nearly full disk: the project lives on a small tmpfs mounted by the test (root only); where mounting
 * is not possible the test says so and skips, and core/project/page-limit.test.ts covers the same with
 * SQLite's own PRAGMA max_page_count. Saving a mask and importing an image on the full volume give
 * DISK_FULL naming the project, keep the last good state, and work again once space is back.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeMaskPng } from '../../core/imaging'
import { ProjectStore } from '../../core/project'
import { makeHost, rgbPng, type TestHost } from './test-fixtures'

let mountDir = ''
let mounted = false
let why = ''
beforeAll(() => {
  mountDir = mkdtempSync(join(tmpdir(), 'labelloop-diskfull-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountDir], { stdio: 'pipe' })
    mounted = true
  } catch (err) {
    why = (err as Error).message.split('\n')[0]
  }
})
afterAll(() => {
  if (mounted) execFileSync('umount', [mountDir])
  rmSync(mountDir, { recursive: true, force: true })
})

/** Fills the volume with a filler file until about `leave` bytes are free. */
function fill(leave: number): string {
  const filler = join(mountDir, 'filler.bin')
  const { bavail, bsize } = statfsSync(mountDir)
  writeFileSync(filler, Buffer.alloc(Math.max(0, bavail * bsize - leave)))
  return filler
}

function noise(n: number, seed: number, levels: number): Uint8Array {
  const data = new Uint8Array(n)
  let s = seed
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0
    data[i] = (s >>> 16) % levels
  }
  return data
}

const noiseMask = (w: number, h: number, seed: number): Buffer => encodeMaskPng(noise(w * h, seed, 3), w, h)

describe('disk full (tmpfs of 4 MiB)', () => {
  it('refuses a mask save and an import with DISK_FULL, keeps the last good state, and recovers', async (ctx) => {
    if (!mounted) ctx.skip(`cannot mount a tmpfs here (${why}); the PRAGMA max_page_count test covers disk full`)
    const t: TestHost = makeHost()
    try {
      const file = join(mountDir, 'p.labelloop')
      await t.call('project:create', { path: file, name: 'Full', classes: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] })
      mkdirSync(join(t.dir, 'imgs'))
      writeFileSync(join(t.dir, 'imgs', 'small.png'), await rgbPng(256, 256, 1))
      const [image] = (await t.call('images:import', { jobId: 'a', paths: [join(t.dir, 'imgs', 'small.png')] })).imported
      const good = await t.call('masks:save', { imageId: image.id, pngBase64: noiseMask(256, 256, 1).toString('base64') })

      const filler = fill(16 * 1024)
      const saving = t.call('masks:save', { imageId: image.id, pngBase64: noiseMask(256, 256, 2).toString('base64') })
      await expect(saving).rejects.toMatchObject({ code: 'DISK_FULL', message: expect.stringContaining(file) })
      writeFileSync(join(t.dir, 'imgs', 'big.png'), await sharp(noise(120 * 120 * 3, 3, 256), { raw: { width: 120, height: 120, channels: 3 } }).png().toBuffer())
      // The import stops at the first image that does not fit: DISK_FULL for the whole job, nothing half stored.
      await expect(t.call('images:import', { jobId: 'b', paths: [join(t.dir, 'imgs', 'big.png')] })).rejects.toMatchObject({ code: 'DISK_FULL', message: expect.stringContaining(file) })

      expect((await t.call('masks:get', { imageId: image.id })).revisionId).toBe(good.revisionId)
      expect((await t.call('images:list', {})).total).toBe(1)

      rmSync(filler)
      const again = await t.call('masks:save', { imageId: image.id, pngBase64: noiseMask(256, 256, 2).toString('base64') })
      expect(again.revisionId).toBeGreaterThan(good.revisionId)
      expect((await t.call('images:import', { jobId: 'c', paths: [join(t.dir, 'imgs', 'big.png')] })).imported).toHaveLength(1)
      await t.call('project:close', {})
      const store = ProjectStore.open(file)
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok')
      store.close()
    } finally {
      await t.cleanup()
    }
  })
})
