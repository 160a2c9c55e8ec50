import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventName, EventPayload, Input, Method, Output, TrainConfigPatch } from '../../../core/contract'
import { decodeMaskPng, encodeMaskPng } from '../../../core/imaging'
import { ProjectStore, PseudoLabelRepo } from '../../../core/project'
import { projectSource } from '../../../core/train/loop/project-source'
import { withUnreviewedPseudoLabels } from '../../../core/train/pseudo/unreviewed-source'
import { createServiceHost, type ServiceHost } from '../index'
import { writeSquaresProject } from '../training/test-project'

const TINY: TrainConfigPatch = { epochs: 1, tileSize: 32, batchSize: 2, model: { depth: 3, baseFilters: 8 }, validationFraction: 0.25, preset: 'plain' }

describe('pseudo-label rounds and the review queue', () => {
  let dir: string
  let project: string
  let host: ServiceHost
  const events: { name: EventName; payload: EventPayload<EventName> }[] = []
  const call = <M extends Method>(m: M, input: Input<M>): Promise<Output<M>> => host.dispatch(m, input) as Promise<Output<M>>

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'labelloop-review-'))
    project = join(dir, 'squares.labelloop')
    await writeSquaresProject(project, { count: 7, labeled: 3, size: 48 })
    host = createServiceHost({ mode: 'cli', appDataDir: join(dir, 'app'), version: '0.0.0-test', nativeDialogs: false })
    host.onEvent((name, payload) => events.push({ name, payload }))
    await call('project:open', { path: project })
    const { runId } = await call('train:start', TINY)
    await new Promise<void>((resolve) => {
      const off = host.onEvent((name, payload) => {
        const p = payload as EventPayload<'train:status'>
        if (name === 'train:status' && p.runId === runId && p.status !== 'running') {
          off()
          resolve()
        }
      })
    })
  }, 120_000)

  afterAll(async () => {
    await host.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('runs a round, reviews it, accepts in batch and rolls back', async () => {
    const result = await call('rounds:start', { jobId: 'r1', tta: true, mcDropout: 2, topFraction: 0.5, floor: 0.1 })
    expect(result).toMatchObject({ status: 'done', images: 4 })
    const [round] = await call('rounds:list', {})
    expect(round).toMatchObject({ id: result.roundId, params: { tta: true, mcDropout: 2, topFraction: 0.5, floor: 0.1 }, counts: { total: 4, pending: 4 } })
    expect(round.thresholds).toHaveLength(2)
    expect(round.model?.macroF1).toBeTypeOf('number')

    const queue = await call('review:list', { roundId: round.id })
    expect(queue.total).toBe(4)
    const scores = queue.items.map((i) => i.score as number)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
    for (const item of queue.items) {
      expect(item.score).toBeGreaterThanOrEqual(0)
      expect(item.score).toBeLessThanOrEqual(1)
      expect(item.keptFraction).toBeGreaterThan(0)
      // Thresholds keep at most about half of each class (ties aside) and never all pixels.
      expect(item.keptFraction).toBeLessThan(0.9)
    }
    const [a, b, c, d] = queue.items
    const detail = await call('review:get', { id: a.id })
    const pseudo = decodeMaskPng(Buffer.from(detail.maskPngBase64, 'base64'), 'pseudo')
    expect(pseudo.data.filter((v) => v === 255).length).toBeGreaterThan(0)
    expect(detail.classShares.reduce((s, x) => s + x, 0)).toBeCloseTo(a.keptFraction as number, 5)
    expect(detail.confidencePngBase64).not.toBeNull()

    // The confident pixels of pending rounds can join training at a weight.
    const store = ProjectStore.open(project)
    try {
      expect(new PseudoLabelRepo(store).unreviewed()).toHaveLength(4)
      // The class-balanced thresholds were raised by the model's validation precision per class.
      const params = new PseudoLabelRepo(store).round(round.id).params as { thresholds: (number | null)[]; balancedThresholds: (number | null)[]; precision: (number | null)[] }
      expect(params.precision).toHaveLength(2)
      expect(params.balancedThresholds).toHaveLength(2)
      params.thresholds.forEach((t, c) => {
        const p = params.precision[c]
        const b = params.balancedThresholds[c]
        if (t === null || b === null) return
        expect(t).toBeGreaterThanOrEqual(b)
        if (p !== null && p > 0) expect(t).toBeCloseTo(Math.ceil((1 - (1 - b) * p) * 255 - 1e-9) / 255, 6)
      })
      const src = withUnreviewedPseudoLabels(projectSource(store), store, 0.5, 1)
      expect(await src.labeledImages()).toHaveLength(7)
    } finally {
      store.close()
    }

    // Accept: the pseudo mask becomes the label, as an accepted pseudo-label.
    const accepted = await call('review:decide', { id: a.id, decision: 'accept', ms: 1200 })
    expect(accepted).toMatchObject({ status: 'accepted', decisionMs: 1200 })
    const revs = await call('masks:revisions', { imageId: a.imageId })
    expect(revs[0]).toMatchObject({ source: 'pseudo-accepted', current: true })
    expect((await call('masks:get', { imageId: a.imageId })).pngBase64).toBe(detail.maskPngBase64)
    expect(events.some((e) => e.name === 'project:changed' && (e.payload as EventPayload<'project:changed'>).imageIds?.includes(a.imageId))).toBe(true)

    // Reject leaves the label alone; edit (a human save) marks it edited, and it cannot be decided again.
    expect(await call('review:decide', { id: b.id, decision: 'reject' })).toMatchObject({ status: 'rejected' })
    expect(await call('masks:revisions', { imageId: b.imageId })).toHaveLength(0)
    const human = encodeMaskPng(new Uint8Array(48 * 48).fill(1), 48, 48).toString('base64')
    await call('masks:save', { imageId: c.imageId, pngBase64: human, source: 'human' })
    expect(await call('review:edited', { id: c.id })).toMatchObject({ status: 'edited' })
    await expect(call('review:decide', { id: c.id, decision: 'accept' })).rejects.toMatchObject({ code: 'INVALID_INPUT' })

    // Batch accept of everything pending at or above score 0: only d is left pending.
    const batch = await call('review:acceptAbove', { roundId: round.id, score: 0 })
    expect(batch).toEqual({ accepted: 1, ids: [d.id] })
    const afterAccept = (await call('rounds:list', {}))[0]
    expect(afterAccept.counts).toMatchObject({ accepted: 2, rejected: 1, edited: 1, pending: 0 })
    const squareShift = afterAccept.balanceShift[1]
    expect(squareShift.after).not.toBe(squareShift.before)

    // Rollback: the accepted labels leave (cleared: the images had none), statuses reset, the edit stays.
    expect(await call('rounds:rollback', { roundId: round.id })).toEqual({ reverted: 2, keptChanged: 0, reset: 3 })
    for (const id of [a.imageId, d.imageId]) {
      const [current] = await call('masks:revisions', { imageId: id })
      expect(current).toMatchObject({ source: 'human', labeledFraction: 0, current: true })
    }
    expect((await call('masks:get', { imageId: c.imageId })).pngBase64).toBe(human)
    const rolled = (await call('rounds:list', {}))[0]
    expect(rolled.counts).toMatchObject({ pending: 3, edited: 1 })
    expect(rolled.rolledBackAt).not.toBeNull()
    expect(rolled.balanceShift.every((s) => s.before === s.after)).toBe(true)
    expect((await call('review:list', { roundId: round.id, status: ['edited'] })).items.map((i) => i.id)).toEqual([c.id])
    expect((await call('review:list', { classIndex: 1 })).total).toBeGreaterThan(0)
  }, 120_000)

  it('a reject after an accept restores the label the image had before', async () => {
    const result = await call('rounds:start', { jobId: 'r2', tta: false, mcDropout: 0, topFraction: 1, floor: 0 })
    const { items } = await call('review:list', { roundId: result.roundId })
    const item = items[0]
    const before = await call('masks:revisions', { imageId: item.imageId })
    await call('review:decide', { id: item.id, decision: 'accept' })
    await call('review:decide', { id: item.id, decision: 'reject' })
    const after = await call('masks:revisions', { imageId: item.imageId })
    expect(after).toHaveLength(before.length + 2)
    expect(after[0].labeledFraction).toBe(before[0]?.labeledFraction ?? 0)
    await expect(call('review:get', { id: 99999 })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  }, 120_000)
})
