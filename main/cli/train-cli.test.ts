import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeMaskPng } from '../../core/imaging'
import { writeSquaresProject } from '../services/training/test-project'
import { runCli } from './run-cli'
import { captureIo, type CapturedIo } from './test-support'

let dir: string
let env: Record<string, string>

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'labelloop-cli-train-'))
  env = { LABELLOOP_HOME: join(dir, 'home') }
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function cli(argv: string[], onStderr?: (text: string, io: CapturedIo) => void): Promise<{ code: number; io: CapturedIo; json: () => Record<string, unknown> }> {
  const io = captureIo(env, dir, onStderr)
  const code = await runCli(argv, io)
  return { code, io, json: () => JSON.parse(io.out()) as Record<string, unknown> }
}

describe('labelloop train / predict / eval / export-model', () => {
  it('trains a tiny generated project with --json, then predicts, evaluates and exports with the active model', async () => {
    const truth = await writeSquaresProject(join(dir, 'p.labelloop'), { count: 5, labeled: 4, size: 32 })
    const train = await cli(['train', 'p.labelloop', '--epochs', '1', '--size', '32', '--batch', '2', '--depth', '3', '--base', '8', '--seed', '3', '--json'])
    expect(train.io.err()).toContain('epoch 1/1: train loss')
    expect(train.code).toBe(0)
    expect(train.io.out().trim().split('\n')).toHaveLength(1)
    const result = train.json()
    // No recipe option: the auto preset races the recipes, and the report says who won and why.
    expect(result).toMatchObject({ runId: 1, status: 'completed', preset: 'auto', backend: 'wasm', error: null })
    const report = result.report as { race: { winner: string; reason: string } | null; validation: { mode: string }; semi: { unlabeledImages: number } | null }
    expect(report.race?.winner).toEqual(expect.any(String))
    expect(train.io.err()).toContain(`winner ${report.race?.winner}: `)
    const metrics = result.metrics as { epoch: number; perClass: unknown[]; confusion: number[][]; macroF1: number }
    expect(metrics.epoch).toBe(1)
    expect(metrics.perClass).toHaveLength(2)
    // Four labeled images validate on a band of 20 % of their rows each (region validation).
    expect(report.validation.mode).toBe('regions')
    expect(metrics.confusion.flat().reduce((a, b) => a + b, 0)).toBe(4 * Math.round(32 * 0.2) * 32)
    // Consistency training is off by default.
    expect(report.semi ?? null).toBeNull()
    expect(train.io.err()).not.toContain('consistency training')
    // With --semi the fifth image, which has no label, is read for it, and the run says so.
    const semi = await cli(['train', 'p.labelloop', '--epochs', '1', '--size', '32', '--batch', '2', '--depth', '3', '--base', '8', '--seed', '3', '--semi', '--json'])
    expect(semi.code).toBe(0)
    expect((semi.json().report as { semi?: { unlabeledImages: number } }).semi?.unlabeledImages).toBe(1)
    expect(semi.io.err()).toContain('consistency training on 1 unlabeled images')

    const predict = await cli(['predict', 'p.labelloop', '--json'])
    expect(predict.code).toBe(0)
    expect(predict.json()).toMatchObject({ runId: 2, status: 'done', images: 1 })

    const gt = join(dir, 'gt')
    await mkdir(gt)
    await writeFile(join(gt, 'img-1.png'), encodeMaskPng(truth.get('img-1.png') as Uint8Array, 32, 32))
    const evaluation = await cli(['eval', 'p.labelloop', '--masks', 'gt', '--json'])
    expect(evaluation.code).toBe(0)
    const scores = evaluation.json() as { perClass: { index: number; name: string }[]; confusion: number[][]; mIoU: number; macroF1: number }
    expect(scores.perClass.map((c) => c.name)).toEqual(['background', 'square'])
    expect(scores.confusion.flat().reduce((a, b) => a + b, 0)).toBe(32 * 32)
    expect(scores.mIoU).toBeGreaterThanOrEqual(0)

    const exported = await cli(['export-model', 'p.labelloop', 'model', '--json'])
    expect(exported.code).toBe(0)
    expect(existsSync(join(dir, 'model', 'model.json'))).toBe(true)

    const bad = await cli(['eval', 'p.labelloop', '--masks', 'nowhere', '--json'])
    expect(bad.code).toBe(1)
    expect(bad.json()).toMatchObject({ error: { code: 'NOT_FOUND' } })
  })
})
