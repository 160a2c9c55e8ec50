import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ImportResult, ProjectInfo } from '../../core/contract'
import { runCli } from './run-cli'
import { captureIo, writeMask, writePngs, type CapturedIo } from './test-support'

let dir: string
let env: Record<string, string>

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'labelloop-cli-test-'))
  env = { LABELLOOP_HOME: join(dir, 'home') }
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function cli(argv: string[], onStderr?: (text: string, io: CapturedIo) => void): Promise<{ code: number; io: CapturedIo; json: () => unknown }> {
  const io = captureIo(env, dir, onStderr)
  const code = await runCli(argv, io)
  return { code, io, json: () => JSON.parse(io.out()) as unknown }
}

/** stdout of a --json command is exactly one JSON object on one line. */
function expectOneJsonLine(io: CapturedIo): void {
  const lines = io.out().split('\n')
  expect(lines).toHaveLength(2)
  expect(lines[1]).toBe('')
}

describe('labelloop new / info', () => {
  it('creates a project with classes and colours and prints its ProjectInfo', async () => {
    const { code, io, json } = await cli(['new', 'roads.labelloop', '--classes', 'ground, road,car', '--colors', '#112233,#445566,#778899', '--json'])
    expect(io.err()).toBe('')
    expect(code).toBe(0)
    expectOneJsonLine(io)
    const info = json() as ProjectInfo
    expect(info.path).toBe(join(dir, 'roads.labelloop'))
    expect(info.name).toBe('roads')
    expect(info.classes).toEqual([
      { index: 0, name: 'ground', color: '#112233' },
      { index: 1, name: 'road', color: '#445566' },
      { index: 2, name: 'car', color: '#778899' },
    ])
    expect(info.imageCount).toBe(0)
    expect(existsSync(info.path)).toBe(true)

    const shown = await cli(['info', 'roads.labelloop', '--json'])
    expect(shown.code).toBe(0)
    expect(shown.json()).toMatchObject({ path: info.path, name: 'roads', classes: info.classes, imageCount: 0 })
    const human = await cli(['info', 'roads.labelloop'])
    expect(human.io.out()).toContain('Images:   0')
    expect(human.io.out()).toContain('#445566  road')
  })

  it('refuses to overwrite, bad colours and missing classes with a one-line reason', async () => {
    expect((await cli(['new', 'p.labelloop', '--classes', 'a,b', '--name', 'Fields'])).code).toBe(0)
    const again = await cli(['new', 'p.labelloop', '--classes', 'a,b', '--json'])
    expect(again.code).toBe(1)
    expect(again.io.err()).toMatch(new RegExp(`^labelloop: ${join(dir, 'p.labelloop').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*already exists.*\n$`))
    expect(again.json()).toMatchObject({ error: { code: 'ALREADY_EXISTS', file: join(dir, 'p.labelloop') } })
    const colours = await cli(['new', 'q.labelloop', '--classes', 'a,b', '--colors', '#ff0000', '--json'])
    expect(colours.code).toBe(1)
    expect(colours.json()).toMatchObject({ error: { code: 'INVALID_INPUT', message: '--colors has 1 colours for 2 classes' } })
    const bad = await cli(['new', 'q.labelloop', '--classes', 'a,b', '--colors', '#ff0000,red'])
    expect(bad.io.err()).toContain('"red" is not a colour')
    expect((await cli(['new', 'q.labelloop'])).code).toBe(1)
    expect(existsSync(join(dir, 'q.labelloop'))).toBe(false)
  })

  it('reports a missing project file without creating it', async () => {
    const missing = join(dir, 'missing.labelloop')
    const res = await cli(['info', 'missing.labelloop', '--json'])
    expect(res.code).toBe(1)
    expect(res.io.err()).toBe(`labelloop: ${missing}: no such project file\n`)
    expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: `${missing}: no such project file`, file: missing } })
    expect(existsSync(missing)).toBe(false)
    const imp = await cli(['import', 'missing.labelloop', 'x.png'])
    expect(imp.code).toBe(1)
    expect(imp.io.err().trim().split('\n')).toHaveLength(1)
  })

  it('reports a file that is not a project', async () => {
    await writeFile(join(dir, 'notes.labelloop'), 'just some text, not SQLite')
    const res = await cli(['info', 'notes.labelloop', '--json'])
    expect(res.code).toBe(1)
    expect(res.io.err().trim().split('\n')).toHaveLength(1)
    expect(res.io.err()).toContain('notes.labelloop')
    expect(res.json()).toMatchObject({ error: { code: 'NOT_A_PROJECT' } })
  })

  it('exits 2 on usage errors, with a JSON error under --json', async () => {
    const res = await cli(['import', '--json'])
    expect(res.code).toBe(2)
    expect(res.io.err()).toContain("labelloop: missing required argument 'project'")
    expect(res.json()).toMatchObject({ error: { code: 'INVALID_INPUT' } })
    expect((await cli(['frobnicate'])).code).toBe(2)
    const help = await cli(['--help'])
    expect(help.code).toBe(0)
    expect(help.io.out()).toContain('serve [options] [project]')
  })
})

describe('labelloop import', () => {
  it('imports images and masks, reports a corrupt image in failed, and shows progress', async () => {
    expect((await cli(['new', 'p.labelloop', '--classes', 'a,b,c'])).code).toBe(0)
    const files = await writePngs(join(dir, 'imgs', 'sub'), 3)
    const corrupt = join(dir, 'imgs', 'broken.png')
    await writeFile(corrupt, Buffer.from('\x89PNG\r\n\x1a\nthis is not really a png'))
    await mkdir(join(dir, 'masks'))
    await writeMask(join(dir, 'masks', 'img-00.png'), 24, 16, 0, 2)
    await writeMask(join(dir, 'masks', 'img-01.png'), 10, 10, 0, 1)

    const res = await cli(['import', 'p.labelloop', 'imgs', '--masks', 'masks', '--json'])
    expect(res.code).toBe(1)
    expectOneJsonLine(res.io)
    const result = res.json() as Omit<ImportResult, never>
    expect(Object.keys(result).sort()).toEqual(['cancelled', 'failed', 'imported', 'masks', 'skipped'])
    expect(result.imported.map((i) => i.file).sort()).toEqual(files)
    expect(result.failed).toEqual([expect.objectContaining({ file: corrupt, reason: expect.any(String) })])
    expect(result.masks.attached).toEqual([expect.objectContaining({ file: join(dir, 'masks', 'img-00.png') })])
    expect(result.masks.failed).toEqual([expect.objectContaining({ file: join(dir, 'masks', 'img-01.png') })])
    expect(result.cancelled).toBe(false)
    expect(res.io.err()).toMatch(/^import: 4\/4 \(imported 3, skipped 0, failed 1\)$/m)
    expect(res.io.err()).toMatch(new RegExp(`^labelloop: .*broken\\.png.*$`, 'm'))

    const again = await cli(['import', 'p.labelloop', files[0], '--json'])
    expect(again.code).toBe(0)
    expect(again.json()).toMatchObject({ imported: [], skipped: [{ file: files[0] }], failed: [] })
    const info = (await cli(['info', 'p.labelloop', '--json'])).json() as ProjectInfo
    expect(info.imageCount).toBe(3)
    expect(info.counts).toEqual({ labeled: 1, partial: 0, unlabeled: 2 })
  })

  it('cancels on Ctrl+C and reports what already arrived', async () => {
    expect((await cli(['new', 'p.labelloop', '--classes', 'a,b'])).code).toBe(0)
    await writePngs(join(dir, 'many'), 30)
    let fired = false
    const res = await cli(['import', 'p.labelloop', 'many', '--json'], (text, io) => {
      if (!fired && text.startsWith('import: 1/')) {
        fired = true
        io.interrupt()
      }
    })
    expect(fired).toBe(true)
    expect(res.code).toBe(130)
    const result = res.json() as ImportResult
    expect(result.cancelled).toBe(true)
    expect(result.imported.length).toBeGreaterThanOrEqual(1)
    expect(result.imported.length).toBeLessThan(30)
    const info = (await cli(['info', 'p.labelloop', '--json'])).json() as ProjectInfo
    expect(info.imageCount).toBe(result.imported.length)
  })
})
