import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeSquaresProject } from '../../services/training/test-project'
import { runCli } from '../run-cli'
import { captureIo, type CapturedIo } from '../test-support'
import { initOption, trainPatch } from './train'

let dir: string
let env: Record<string, string>

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'labelloop-cli-pretrain-'))
  env = { LABELLOOP_HOME: join(dir, 'home') }
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function cli(argv: string[]): Promise<{ code: number; io: CapturedIo; json: () => Record<string, unknown> }> {
  const io = captureIo(env, dir)
  const code = await runCli(argv, io)
  return { code, io, json: () => JSON.parse(io.out()) as Record<string, unknown> }
}

const SMALL = ['--size', '32', '--depth', '3', '--base', '8', '--seed', '2']

describe('labelloop pretrain and train --init', () => {
  it('parses --init', () => {
    expect(initOption('pretrained')).toBe('pretrained')
    expect(initOption('scratch')).toBe('scratch')
    expect(initOption('4')).toEqual({ runId: 4 })
    expect(() => initOption('best')).toThrow(/--init must be scratch, pretrained or a run id, got "best"/)
    expect(trainPatch({ init: 'pretrained' })).toEqual({ init: 'pretrained' })
    expect(trainPatch({ loss: 'focal', pixelContrast: 0.5 })).toEqual({ loss: { name: 'focal', classWeights: undefined, pixelContrast: 0.5 } })
  })

  it('fails clearly when training from a pretrained encoder that does not exist yet', async () => {
    await writeSquaresProject(join(dir, 'none.labelloop'), { count: 3, labeled: 2, size: 32 })
    const train = await cli(['train', 'none.labelloop', '--epochs', '1', '--batch', '2', ...SMALL, '--init', 'pretrained', '--json'])
    expect(train.code).not.toBe(0)
    expect(train.io.out()).toContain('no pretrained encoder yet')
  })

  it('pretrains on every image with --json, then trains from the pretrained encoder', async () => {
    await writeSquaresProject(join(dir, 'p.labelloop'), { count: 5, labeled: 3, size: 32 })
    const pre = await cli(['pretrain', 'p.labelloop', '--epochs', '2', '--batch', '4', '--steps', '2', ...SMALL, '--json'])
    expect(pre.io.err()).toContain('epoch 2/2 step 2/2: NT-Xent')
    expect(pre.code).toBe(0)
    expect(pre.io.out().trim().split('\n')).toHaveLength(1)
    const run = pre.json()
    expect(run).toMatchObject({ status: 'completed', images: 5, hasEncoder: true, backend: 'wasm', error: null })
    expect(run.losses).toHaveLength(2)
    expect(run.config).toMatchObject({ epochs: 2, tileSize: 32, batchSize: 4, stepsPerEpoch: 2, model: { depth: 3, baseFilters: 8, batchNorm: true } })

    const train = await cli(['train', 'p.labelloop', '--epochs', '1', '--batch', '2', ...SMALL, '--init', 'pretrained', '--json'])
    expect(train.code).toBe(0)
    const result = train.json()
    // Pretraining runs are not training runs: this is run 2 of the file but the only training run.
    expect(result).toMatchObject({ runId: 2, status: 'completed' })
    const mismatch = await cli(['train', 'p.labelloop', '--epochs', '1', '--batch', '2', '--size', '32', '--depth', '4', '--base', '8', '--init', 'pretrained', '--json'])
    expect(mismatch.code).not.toBe(0)
    expect(mismatch.io.out()).toMatch(/pretrained encoder is a depth-3, width-8 U-Net encoder; this run asks for depth 4/)
  })
})
