import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeArrayBuffer } from 'geotiff'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { api, AppError, type ImportResult } from '../../core/contract'
import { encodeMaskPng } from '../../core/imaging'
import { ProjectStore } from '../../core/project'
import { projectPixels } from '../../core/train/loop/project-source'
import { createServiceHost, type ServiceHost } from './index'
import { rgbPng } from './test-fixtures'

let dir: string
let host: ServiceHost
const call = (method: string, input: unknown): Promise<unknown> => host.dispatch(method, input)

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'labelloop-linked-'))
  // Anything of 300 bytes or more is "too large to copy" here.
  host = createServiceHost({ mode: 'cli', appDataDir: join(dir, 'appdata'), version: '0.0.0-test', nativeDialogs: false, linkOriginalsFromBytes: 300 })
})
afterEach(async () => {
  await host.close()
  rmSync(dir, { recursive: true, force: true })
})

async function codeOf(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(() => null, (e: unknown) => e)
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`)
  return err
}

describe('images:import of originals too large to copy', () => {
  it('links them by path, says so, and names the file once it is gone', async () => {
    const project = join(dir, 'p.labelloop')
    await call('project:create', { path: project, name: 'P', classes: [{ name: 'bg' }, { name: 'fg' }] })
    const big = join(dir, 'big.png')
    const small = join(dir, 'small.png')
    const bigBytes = await rgbPng(64, 48, 1)
    writeFileSync(big, bigBytes)
    writeFileSync(small, await rgbPng(4, 4, 2))
    expect((await rgbPng(4, 4, 2)).length).toBeLessThan(300)
    expect(bigBytes.length).toBeGreaterThanOrEqual(300)

    const result = api['images:import'].output.parse(await call('images:import', { jobId: 'j', paths: [big, small] })) as ImportResult
    expect(result.failed).toEqual([])
    const linked = result.imported.find((e) => e.file === big)
    const copied = result.imported.find((e) => e.file === small)
    expect(linked).toMatchObject({ linked: true })
    expect(copied?.linked).toBeUndefined()
    const id = linked?.id as number

    // Display, thumbnail and listing come from the project; the pixels from the file.
    expect((await host.imageRendition(id, 'display')).mime).toBe('image/png')
    expect(await call('images:get', { id })).toMatchObject({ width: 64, height: 48, bands: 3 })
    const reader = ProjectStore.open(project)
    try {
      expect(reader.images.original(id).original).toEqual(bigBytes)
      expect((await projectPixels(reader, id)).data.length).toBe(64 * 48 * 3)

      renameSync(big, join(dir, 'moved.png'))
      const err = await codeOf(projectPixels(reader, id))
      expect(err.code).toBe('NOT_FOUND')
      expect(err.message).toContain(big)
      // The rest of the project keeps working.
      expect((await projectPixels(reader, copied?.id as number)).width).toBe(4)
      expect((await host.imageRendition(id, 'thumb')).mime).toBe('image/webp')
      expect(await call('images:list', {})).toMatchObject({ total: 2 })
      expect(await call('display:getBands', {})).toMatchObject({ multibandImages: 0 })
    } finally {
      reader.close()
    }

    // Importing the same content again is recognised as a duplicate by its hash.
    renameSync(join(dir, 'moved.png'), big)
    const again = (await call('images:import', { jobId: 'k', paths: [big] })) as ImportResult
    expect(again.skipped).toMatchObject([{ file: big, existingId: id }])
  })

  it('redraws a linked multiband GeoTIFF for a new band choice and goes on without it once it is gone', async () => {
    await call('project:create', { path: join(dir, 'g.labelloop'), name: 'G', classes: [{ name: 'bg' }, { name: 'fg' }] })
    const w = 12
    const h = 10
    const data = new Uint16Array(w * h * 5).map((_, i) => (i * 131) % 4000)
    const tif = join(dir, 'scene.tif')
    writeFileSync(tif, Buffer.from(writeArrayBuffer(data, { width: w, height: h, ModelPixelScale: [1, 1, 0], ModelTiepoint: [0, 0, 0, 10, 20, 0], ProjectedCSTypeGeoKey: 32633 })))
    const r = (await call('images:import', { jobId: 'g', paths: [tif] })) as ImportResult
    expect(r.imported).toMatchObject([{ file: tif, linked: true }])
    const id = r.imported[0].id
    expect(await call('display:getBands', {})).toMatchObject({ multibandImages: 1, maxBands: 5 })
    const before = (await host.imageRendition(id, 'display')).bytes
    expect(await call('display:setBands', { bands: [4, 3, 2] })).toMatchObject({ regenerated: 1 })
    expect((await host.imageRendition(id, 'display')).bytes.equals(before)).toBe(false)

    // Export writes the georeferenced mask from the linked file's header.
    const png = Buffer.alloc(w * h, 1)
    await call('masks:save', { imageId: id, pngBase64: encodeMaskPng(png, w, h).toString('base64') })
    const out = join(dir, 'export')
    const exported = (await call('export:run', { dir: out, format: 'index' })) as { files: string[] }
    expect(exported.files.some((f) => f.endsWith('.tif'))).toBe(true)

    rmSync(tif)
    const err = await codeOf(call('export:run', { dir: join(dir, 'export2'), format: 'index' }))
    expect(err.code).toBe('NOT_FOUND')
    expect(err.message).toContain(tif)
    expect(await call('display:getBands', {})).toMatchObject({ multibandImages: 0 })
    expect(await call('display:setBands', { bands: [0, 1, 2] })).toMatchObject({ regenerated: 0 })
    expect((await host.imageRendition(id, 'thumb')).mime).toBe('image/webp')
  })
})
