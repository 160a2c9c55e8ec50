import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ProjectInfo } from '../../core/contract'
import { CLASS_PALETTE } from '../../core/contract/palette'
import { runCli } from './run-cli'
import { captureIo } from './test-support'

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'labelloop-palette-test-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('labelloop new without --colors', () => {
  it('colours the classes from the one palette the UI uses: a neutral grey background, then saturated colours', async () => {
    const io = captureIo({ LABELLOOP_HOME: join(dir, 'home') }, dir)
    expect(await runCli(['new', 'cracks.labelloop', '--classes', 'bg,crack', '--json'], io)).toBe(0)
    const info = JSON.parse(io.out()) as ProjectInfo
    expect(info.classes.map((c) => c.color)).toEqual(['#8d8d8d', '#e6194b'])
    expect(info.classes.map((c) => c.color)).toEqual(CLASS_PALETTE.slice(0, 2))
  })
})
