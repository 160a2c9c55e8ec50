import { describe, expect, it } from 'vitest'
import { presetConfig, TrainConfig, type RunSummary } from '../../../core/contract'
import { modelChoice, runChoiceLabel } from './model-choice'

const run = (id: number, over: Partial<RunSummary>): RunSummary => ({
  id, status: 'completed', config: TrainConfig.parse(presetConfig('balanced')), backend: 'wasm', device: 'cpu',
  startedAt: '2025-01-01T10:00:00.000Z', finishedAt: null, epochs: [], best: { epoch: 2, metric: 'macroF1', value: 0.5 },
  error: null, active: false, report: null, ...over,
})

describe('modelChoice', () => {
  it('offers the finished runs with a best epoch, newest first, when none is active', () => {
    const runs = [run(1, { status: 'failed' }), run(2, { status: 'cancelled', best: null }), run(3, { status: 'running' }), run(4, { status: 'cancelled' })]
    const c = modelChoice(runs)
    expect(c.active).toBeNull()
    expect(c.usable.map((r) => r.id)).toEqual([4, 1])
  })

  it('names the active run and leaves it out of the choices', () => {
    const c = modelChoice([run(1, { active: true }), run(2, {})])
    expect(c.active?.id).toBe(1)
    expect(c.usable.map((r) => r.id)).toEqual([2])
  })

  it('labels a run by status and best epoch', () => {
    expect(runChoiceLabel(run(4, { status: 'cancelled', best: { epoch: 3, metric: 'macroF1', value: 0.61234 } }))).toBe('run #4 (cancelled, best macroF1 0.612 at epoch 3)')
  })
})
