import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventName, EventPayload, Input, Method, Output, RunSummary, TrainConfigPatch } from '../../../core/contract'
import { decodeMaskPng, encodeMaskPng } from '../../../core/imaging'
import { ProjectStore } from '../../../core/project'
import { forkTrainer, type TrainerHandle } from '../../trainer/spawn'
import { createServiceHost, type ServiceHost } from '../index'
import { writeSquaresProject } from './test-project'

const TINY: TrainConfigPatch = { epochs: 1, tileSize: 32, batchSize: 2, model: { depth: 3, baseFilters: 8 }, validationFraction: 0.25, preset: 'plain' }

describe('training supervisor over a real trainer process', () => {
  let dir: string
  let project: string
  let host: ServiceHost
  let handles: TrainerHandle[]
  const events: { name: EventName; payload: EventPayload<EventName> }[] = []
  const call = <M extends Method>(m: M, input: Input<M>): Promise<Output<M>> => host.dispatch(m, input) as Promise<Output<M>>
  const status = (runId: number): Promise<EventPayload<'train:status'>> =>
    new Promise((resolve) => {
      const off = host.onEvent((name, payload) => {
        const p = payload as EventPayload<'train:status'>
        if (name === 'train:status' && p.runId === runId && p.status !== 'running') {
          off()
          resolve(p)
        }
      })
    })

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'labelloop-train-'))
    project = join(dir, 'squares.labelloop')
    await writeSquaresProject(project, { count: 6, labeled: 4, size: 48 })
    handles = []
    host = createServiceHost({
      mode: 'cli', appDataDir: join(dir, 'app'), version: '0.0.0-test', nativeDialogs: false,
      trainerFactory: () => {
        const h = forkTrainer()
        handles.push(h)
        return h
      },
    })
    host.onEvent((name, payload) => events.push({ name, payload }))
    await call('project:open', { path: project })
  })

  afterAll(async () => {
    await host.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('trains (start → progress → epoch → done), predicts into a round, evaluates and exports', async () => {
    const { runId } = await call('train:start', TINY)
    await expect(call('train:start', TINY)).rejects.toMatchObject({ code: 'BUSY' })
    const final = await status(runId)
    expect(final.status).toBe('completed')
    const run = final.run as RunSummary
    expect(run.epochs).toHaveLength(1)
    expect(run.active).toBe(true)
    expect(run.backend).toBe('wasm')
    expect(run.config.model.depth).toBe(3)
    expect(events.some((e) => e.name === 'train:progress' && (e.payload as EventPayload<'train:progress'>).phase === 'training')).toBe(true)
    expect(events.some((e) => e.name === 'train:epoch')).toBe(true)
    // Before its first batch the run says what it is doing.
    const preparing = events.filter((e) => e.name === 'train:progress' && (e.payload as EventPayload<'train:progress'>).phase === 'preparing')
      .map((e) => (e.payload as EventPayload<'train:progress'>).message)
    expect(preparing[0]).toBe('starting the trainer process')
    expect(preparing.some((m) => m?.startsWith('started the wasm backend'))).toBe(true)
    expect((await call('runs:list', {})).map((r) => r.id)).toEqual([runId])

    const predicted = await call('predict:start', { jobId: 'p1', images: 'all' })
    expect(predicted).toMatchObject({ runId, status: 'done', images: 6 })
    expect(predicted.meanConfidence).toBeGreaterThan(0.5)
    expect(events.some((e) => e.name === 'predict:progress')).toBe(true)

    // Ground truth = the stored prediction of two images with 10 pixels of one image flipped: the
    // confusion matrix is then known exactly.
    const store = ProjectStore.open(project)
    const rows = store.db.prepare('SELECT i.name AS name, p.mask_png AS png FROM pseudo_labels p JOIN images i ON i.id = p.image_id WHERE p.round_id = ? ORDER BY i.id LIMIT 2')
      .all(predicted.roundId) as { name: string; png: Buffer }[]
    store.close()
    const masks = join(dir, 'gt')
    mkdirSync(masks)
    const expected = [[0, 0], [0, 0]]
    rows.forEach((r, i) => {
      const m = decodeMaskPng(r.png, r.name).data
      const truth = m.slice()
      if (i === 0) for (let p = 0; p < 10; p++) truth[p] = 1 - m[p]
      for (let p = 0; p < m.length; p++) expected[truth[p]][m[p]]++
      writeFileSync(join(masks, r.name.replace('.png', '.png')), encodeMaskPng(truth, 48, 48))
    })
    const scores = await call('models:evaluate', { jobId: 'e1', masksDir: masks })
    expect(scores.images).toBe(2)
    expect(scores.confusion).toEqual(expected)
    const [[tn, fp], [fn, tp]] = expected
    expect(scores.perClass[1].precision).toBeCloseTo(tp / (tp + fp), 10)
    expect(scores.perClass[1].recall).toBeCloseTo(tp / (tp + fn), 10)
    expect(scores.perClass[0].iou).toBeCloseTo(tn / (tn + fn + fp), 10)
    expect(scores.perClass.map((c) => c.name)).toEqual(['background', 'square'])

    const out = join(dir, 'model')
    const exported = await call('models:export', { dir: out })
    expect(exported.files.map((f) => f.slice(out.length + 1))).toEqual(['model.json', 'weights.bin', 'labelloop.json'])
    const info = JSON.parse(readFileSync(join(out, 'labelloop.json'), 'utf8')) as { classes: { name: string }[]; normalisation: { mean: number[] } }
    expect(info.classes.map((c) => c.name)).toEqual(['background', 'square'])
    expect(info.normalisation.mean).toHaveLength(3)
    expect(existsSync(join(out, 'weights.bin'))).toBe(true)
  })

  it('marks a run failed with the reason when its trainer is killed, and cancelled when cancelled', async () => {
    const { runId } = await call('train:start', { ...TINY, epochs: 200 })
    await new Promise<void>((resolve) => {
      const off = host.onEvent((name, p) => {
        if (name === 'train:progress' && (p as EventPayload<'train:progress'>).phase === 'training') {
          off()
          resolve()
        }
      })
    })
    handles[handles.length - 1].kill()
    const failed = await status(runId)
    expect(failed.status).toBe('failed')
    expect(failed.error).toContain('killed (SIGKILL)')
    expect((await call('runs:get', { id: runId })).status).toBe('failed')

    const second = await call('train:resume', { runId })
    await new Promise<void>((resolve) => {
      const off = host.onEvent((name, p) => {
        if (name === 'train:progress' && (p as EventPayload<'train:progress'>).phase === 'training') {
          off()
          resolve()
        }
      })
    })
    await call('train:cancel', { runId: second.runId })
    const cancelled = await status(runId)
    expect(cancelled.status).toBe('cancelled')
    expect((await call('runs:get', { id: runId })).status).toBe('cancelled')
    await call('runs:delete', { id: runId })
    await expect(call('runs:get', { id: runId })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })
})
