import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encode } from 'fast-png'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../run-cli'
import { captureIo, writeMask, writePngs } from '../test-support'
import type { StatsJson } from './stats'

let dir: string
let env: Record<string, string>

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo(env, dir)
  const code = await runCli(argv, io)
  return { code, out: io.out(), err: io.err() }
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'labelloop-stats-test-'))
  env = { LABELLOOP_HOME: join(dir, 'home') }
  expect((await cli(['new', 'p.labelloop', '--classes', 'ground,road,vehicle'])).code).toBe(0)
  await writePngs(join(dir, 'imgs'), 4, 24, 16)
  await mkdir(join(dir, 'masks'))
  // 24×16 = 384 pixels each: img-00 ground|road, img-01 all ground, img-02 ground with 2 vehicle pixels.
  await writeMask(join(dir, 'masks', 'img-00.png'), 24, 16, 0, 1)
  await writeMask(join(dir, 'masks', 'img-01.png'), 24, 16, 0, 0)
  const data = new Uint8Array(384)
  data[100] = 2
  data[101] = 2
  await writeFile(join(dir, 'masks', 'img-02.png'), encode({ width: 24, height: 16, data, channels: 1, depth: 8 }))
  expect((await cli(['import', 'p.labelloop', 'imgs', '--masks', 'masks'])).code).toBe(0)
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('labelloop stats', () => {
  it('prints exactly {classes, weights} with --json', async () => {
    const res = await cli(['stats', 'p.labelloop', '--json'])
    expect(res.err).toBe('')
    expect(res.code).toBe(0)
    expect(res.out.split('\n')).toHaveLength(2)
    const json = JSON.parse(res.out) as StatsJson
    expect(Object.keys(json)).toEqual(['classes', 'weights'])
    expect(Object.keys(json.weights)).toEqual(['inverseFrequency', 'medianFrequency', 'effectiveNumber'])
    expect(json.classes.map((c) => Object.keys(c))).toEqual(new Array(3).fill(['index', 'name', 'pixels', 'share', 'images', 'frequency']))
    expect(json.classes.map((c) => [c.index, c.name, c.pixels, c.images])).toEqual([
      [0, 'ground', 958, 3],
      [1, 'road', 192, 1],
      [2, 'vehicle', 2, 1],
    ])
    expect(json.classes[1].share).toBeCloseTo(192 / 1152, 12)
    const freq = [958 / 1152, 192 / 384, 2 / 384]
    json.classes.forEach((c, i) => expect(c.frequency).toBeCloseTo(freq[i], 12))
    // Median of the frequencies is road's 0.5.
    json.weights.medianFrequency.forEach((w, i) => expect(w).toBeCloseTo(0.5 / freq[i], 10))
    expect(json.weights.medianFrequency[2]).toBeCloseTo(96, 10)
  })

  it('uses --beta for the effective-number weights and refuses a bad one', async () => {
    const flat = JSON.parse((await cli(['stats', 'p.labelloop', '--beta', '0', '--json'])).out) as StatsJson
    expect(flat.weights.effectiveNumber).toEqual([1, 1, 1])
    const b = JSON.parse((await cli(['stats', 'p.labelloop', '--beta', '0.5', '--json'])).out) as StatsJson
    const raw = [958, 192, 2].map((n) => 0.5 / (1 - 0.5 ** n))
    const mean = raw.reduce((a, v) => a + v, 0) / 3
    b.weights.effectiveNumber.forEach((w, i) => expect(w).toBeCloseTo(raw[i] / mean, 10))
    const bad = await cli(['stats', 'p.labelloop', '--beta', '1', '--json'])
    expect(bad.code).toBe(2)
    expect(bad.err).toContain('β must be a number in [0, 1)')
  })

  it('prints a table, the warnings and the recommended preset for humans', async () => {
    const res = await cli(['stats', 'p.labelloop'])
    expect(res.code).toBe(0)
    const lines = res.out.split('\n')
    expect(lines[0]).toBe('Labeled pixels: 1152 in 3 of 4 images')
    expect(lines[2]).toMatch(/^#\s+class\s+pixels\s+share\s+images\s+freq\s+w\.inverse\s+w\.median\s+w\.effective\(β=0\.9999\)$/)
    expect(lines[5]).toMatch(/^2\s+vehicle\s+2\s+0\.2%\s+1\/3\s+0\.0052\s+[\d.]+\s+96\.000\s+[\d.]+$/)
    expect(res.out).toContain('  - vehicle: 0.2% of labeled pixels, in 1 of 3 images — label more of it, or train with focal loss, OHEM or copy-paste')
    expect(res.out).toMatch(/Recommended preset: rare-objects — .*vehicle \(0\.2%\)/)
  })

  it('reports a missing project file with a one-line reason', async () => {
    const res = await cli(['stats', 'nope.labelloop', '--json'])
    expect(res.code).toBe(1)
    expect(res.err).toBe(`labelloop: ${join(dir, 'nope.labelloop')}: no such project file\n`)
    expect(JSON.parse(res.out)).toMatchObject({ error: { code: 'NOT_FOUND' } })
  })
})
