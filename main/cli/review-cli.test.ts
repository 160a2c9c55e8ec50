import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeSquaresProject } from '../services/training/test-project'
import { runCli } from './run-cli'
import { captureIo, type CapturedIo } from './test-support'

let dir: string
let env: Record<string, string>

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'labelloop-cli-review-'))
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

describe('labelloop predict --round / review', () => {
  it('starts a round, lists the queue by score, accepts above a score and rolls back', async () => {
    await writeSquaresProject(join(dir, 'p.labelloop'), { count: 6, labeled: 3, size: 32 })
    expect((await cli(['review', 'p.labelloop', '--accept-above', '0.5'])).code).toBe(1)
    expect((await cli(['train', 'p.labelloop', '--epochs', '1', '--size', '32', '--batch', '2', '--depth', '3', '--base', '8', '--json'])).code).toBe(0)

    const round = await cli(['predict', 'p.labelloop', '--round', '--top-fraction', '0.6', '--floor', '0.2', '--json'])
    expect(round.code).toBe(0)
    expect(round.json()).toMatchObject({ roundId: 1, status: 'done', images: 3 })

    const list = await cli(['review', 'p.labelloop', '--list', '--json'])
    expect(list.code).toBe(0)
    const page = list.json() as { total: number; items: { id: number; score: number; status: string }[] }
    expect(page.total).toBe(3)
    const scores = page.items.map((i) => i.score)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
    const human = await cli(['review', 'p.labelloop', '--list'])
    expect(human.io.out()).toContain('3 pseudo-labels')

    // Accept the ones at or above the middle score: the top two.
    const accept = await cli(['review', 'p.labelloop', '--accept-above', String(scores[1]), '--json'])
    expect(accept.json()).toMatchObject({ roundId: 1, accepted: 2 })
    expect((accept.json().ids as number[]).sort()).toEqual([page.items[0].id, page.items[1].id].sort())
    const pending = (await cli(['review', 'p.labelloop', '--list', '--status', 'pending', '--json'])).json() as { total: number }
    expect(pending.total).toBe(1)

    const rollback = await cli(['review', 'p.labelloop', '--rollback', '1', '--json'])
    expect(rollback.json()).toMatchObject({ reverted: 2, keptChanged: 0, reset: 2 })
    expect((await cli(['review', 'p.labelloop', '--list', '--status', 'accepted', '--json'])).json()).toMatchObject({ total: 0 })

    expect((await cli(['review', 'p.labelloop'])).code).toBe(2)
    expect((await cli(['review', 'p.labelloop', '--accept-above', '2'])).code).not.toBe(0)
  }, 180_000)
})
