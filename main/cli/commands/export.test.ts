import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ExportResult, LabelImportReport } from '../../../core/contract'
import { runCli } from '../run-cli'
import { captureIo, writeMask, writePngs } from '../test-support'

let dir: string
let env: Record<string, string>

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'labelloop-cli-export-'))
  env = { LABELLOOP_HOME: join(dir, 'home') }
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo(env, dir)
  const code = await runCli(argv, io)
  return { code, out: io.out(), err: io.err() }
}

describe('labelloop export / import-labels', () => {
  it('exports index masks and imports them into another project', async () => {
    await writePngs(join(dir, 'imgs'), 2, 8, 6)
    await mkdir(join(dir, 'masks'))
    await writeMask(join(dir, 'masks', 'img-00.png'), 8, 6, 0, 1)
    await writeMask(join(dir, 'masks', 'img-01.png'), 8, 6, 1, 2)
    expect((await cli(['new', 'a.labelloop', '--classes', 'ground,road,car'])).code).toBe(0)
    expect((await cli(['import', 'a.labelloop', 'imgs', '--masks', 'masks'])).code).toBe(0)

    const exp = await cli(['export', 'a.labelloop', 'out', '--format', 'index', '--source', 'human', '--json'])
    expect(exp.code).toBe(0)
    const result = JSON.parse(exp.out) as ExportResult
    expect(result).toMatchObject({ dir: join(dir, 'out'), written: 2, skipped: [] })
    expect((await readdir(join(dir, 'out'))).sort()).toEqual(['img-00.png', 'img-01.png', 'labelloop-labels.json'])

    expect((await cli(['new', 'b.labelloop', '--classes', 'ground,ROAD'])).code).toBe(0)
    expect((await cli(['import', 'b.labelloop', 'imgs'])).code).toBe(0)
    const imp = await cli(['import-labels', 'b.labelloop', 'out', '--format', 'png'])
    expect(imp.code).toBe(0)
    expect(imp.out).toContain('Attached 2 masks; unmapped classes 1, unmatched files 0, failed 0')
    expect(imp.out).toContain('car (source id 2): 24 pixels')

    const json = await cli(['import-labels', 'b.labelloop', 'out', '--format', 'png', '--json'])
    const report = JSON.parse(json.out) as LabelImportReport
    expect(report.unmapped).toEqual([{ name: 'car', sourceId: 2, annotations: null, pixels: 24 }])
  })

  it('fails with one line naming a corrupt COCO file, and refuses an unknown format', async () => {
    expect((await cli(['new', 'a.labelloop', '--classes', 'x'])).code).toBe(0)
    await writeFile(join(dir, 'bad.json'), '{"images": ')
    const bad = await cli(['import-labels', 'a.labelloop', 'bad.json', '--format', 'coco', '--json'])
    expect(bad.code).toBe(1)
    expect(bad.err).toMatch(new RegExp(`^labelloop: ${join(dir, 'bad.json').replace(/[.\\/]/g, '\\$&')}: not valid JSON`))
    expect(JSON.parse(bad.out)).toMatchObject({ error: { code: 'DECODE_FAILED', file: join(dir, 'bad.json') } })
    const usage = await cli(['export', 'a.labelloop', 'out', '--format', 'tiff'])
    expect(usage.code).toBe(2)
    expect(usage.err).toContain("Allowed choices are index, color, coco")
  })
})
