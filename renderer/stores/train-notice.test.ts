import { describe, expect, it } from 'vitest'
import { presetConfig, TrainConfig, type RunSummary } from '../../core/contract'
import { adoptedNotice } from './train-notice'

const run = (over: Partial<RunSummary>): RunSummary => ({
  id: 3, status: 'cancelled', config: TrainConfig.parse(presetConfig('balanced')), backend: 'wasm', device: 'cpu',
  startedAt: '2025-01-01T10:00:00.000Z', finishedAt: null, epochs: [], best: { epoch: 2, metric: 'macroF1', value: 0.61234 },
  error: null, active: true, report: null, ...over,
})

describe('adoptedNotice', () => {
  it('says that a cancelled run became the active model of a project that had none', () => {
    const r = run({})
    expect(adoptedNotice({ runId: 3, status: 'cancelled', error: null, run: r }, null)).toBe(
      'Run #3 was cancelled; the project had no model, so its best checkpoint (epoch 2, macroF1 0.612) is now the active model. Review can run a round with it.',
    )
  })

  it('says nothing when a model was already active, the run did not become it, or it did not end cancelled', () => {
    const r = run({})
    expect(adoptedNotice({ runId: 3, status: 'cancelled', error: null, run: r }, run({ id: 1 }))).toBeNull()
    expect(adoptedNotice({ runId: 3, status: 'cancelled', error: null, run: run({ active: false }) }, null)).toBeNull()
    expect(adoptedNotice({ runId: 3, status: 'completed', error: null, run: run({ status: 'completed' }) }, null)).toBeNull()
    expect(adoptedNotice({ runId: 3, status: 'cancelled', error: null, run: null }, null)).toBeNull()
  })
})
