import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bytes, floats, writeSuggestProject } from '../../../core/suggest/test-project'
import { runCli } from '../run-cli'
import { captureIo } from '../test-support'

let dir: string
let env: Record<string, string>

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo(env, dir)
  const code = await runCli(argv, io)
  return { code, out: io.out(), err: io.err() }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'labelloop-suggest-cli-'))
  env = { LABELLOOP_HOME: join(dir, 'home') }
  const classes = ['ground', 'vehicle']
  const labeled = { name: 'labeled.png', rgb: [128, 128, 128] as [number, number, number], mask: bytes((x) => (x === 0 ? 1 : 0)) }
  const model = await writeSuggestProject(join(dir, 'model.labelloop'), classes, [
    labeled,
    { name: 'sure.png', rgb: [40, 200, 40], prediction: { mask: bytes(() => 0), confidence: floats(() => 0.99) } },
    { name: 'doubt.png', rgb: [200, 40, 40], prediction: { mask: bytes((x) => (x < 4 ? 1 : 0)), confidence: floats((x) => (x < 4 ? 0.55 : 0.99)) } },
    { name: 'partly.png', rgb: [40, 40, 200], mask: bytes((x) => (x < 16 ? 0 : 255)), prediction: { mask: bytes(() => 0), confidence: floats(() => 0.9) } },
  ])
  model.close()
  const bare = await writeSuggestProject(join(dir, 'bare.labelloop'), classes, [labeled, { name: 'new.png', rgb: [200, 40, 40] }])
  bare.close()
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('labelloop suggest', () => {
  it('prints the ranking as one JSON object, best first, with regions of partly labeled images', async () => {
    const res = await cli(['suggest', 'model.labelloop', '--json'])
    expect(res.code).toBe(0)
    expect(res.out.split('\n')).toHaveLength(2)
    const json = JSON.parse(res.out) as { mode: string; candidates: number; items: Record<string, unknown>[] }
    expect(json).toMatchObject({ mode: 'model', runId: 1, note: null, candidates: 3, cancelled: false })
    expect(json.items.map((i) => i.imageName)).toEqual(['doubt.png', 'partly.png', 'sure.png'])
    expect(json.items[0]).toMatchObject({ rank: 1, region: null, className: 'vehicle' })
    expect(json.items[1].region).toMatchObject({ width: 8, height: 8 })
    expect((json.items[1].region as { x: number }).x).toBeGreaterThanOrEqual(16)
    expect(Object.keys(json.items[0])).not.toContain('image')
    expect(res.err).toContain('suggest: 4/4 partly.png')
    const limited = JSON.parse((await cli(['suggest', 'model.labelloop', '--limit', '1', '--json'])).out) as { items: unknown[] }
    expect(limited.items).toHaveLength(1)
  })

  it('prints a table for humans', async () => {
    const res = await cli(['suggest', 'model.labelloop'])
    expect(res.code).toBe(0)
    const lines = res.out.trim().split('\n')
    expect(lines[0]).toBe("Label next, ranked by the active model's rare-class doubt (run 1): 3 of 3 candidates")
    expect(lines[1]).toMatch(/^ {3}1 {2}doubt\.png +whole image +[\d.]+ {2}rare class 'vehicle' uncertain over 13 % of the image$/)
    expect(lines[2]).toMatch(/^ {3}2 {2}partly\.png +region \d+,\d+ 8×8 /)
  })

  it('ranks for diversity only without a model, or fails with --require-model', async () => {
    const res = await cli(['suggest', 'bare.labelloop'])
    expect(res.code).toBe(0)
    expect(res.out).toContain('ranked for diversity only: 1 of 1 candidate')
    expect(res.out).toMatch(/note: No trained model yet: train one first/)
    const strict = await cli(['suggest', 'bare.labelloop', '--require-model', '--json'])
    expect(strict.code).toBe(1)
    expect(JSON.parse(strict.out)).toMatchObject({ error: { code: 'NOT_FOUND' } })
    expect(strict.err).toMatch(/^labelloop: .*train one first/)
  })

  it('refuses a bad limit and a missing project, and is listed in --help', async () => {
    const bad = await cli(['suggest', 'model.labelloop', '--limit', '0'])
    expect(bad.code).toBe(2)
    expect(bad.err).toContain('the limit must be a whole number from 1 to 5000')
    const missing = await cli(['suggest', 'nope.labelloop', '--json'])
    expect(missing.code).toBe(1)
    expect(JSON.parse(missing.out)).toMatchObject({ error: { code: 'NOT_FOUND' } })
    expect((await cli(['--help'])).out).toContain('suggest [options] <project>')
  })
})
