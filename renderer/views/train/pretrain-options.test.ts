import { describe, expect, it } from 'vitest'
import { PretrainConfig, TrainConfig, type PretrainSummary, type TrainProgress } from '../../../core/contract'
import {
  defaultPretrainForm,
  encoderMismatch,
  finalLoss,
  initText,
  knownEncoder,
  PRETRAIN_FIELDS,
  pretrainFraction,
  pretrainInput,
  pretrainSummaryText,
  validatePretrainForm,
  withPretrainedInit,
} from './pretrain-options'

function summary(over: Partial<PretrainSummary> = {}): PretrainSummary {
  return {
    id: 3,
    status: 'completed',
    config: PretrainConfig.parse({ epochs: 2, model: { depth: 3, baseFilters: 8 } }),
    backend: 'wasm',
    device: 'cpu',
    startedAt: '2025-03-04T14:00:00',
    finishedAt: '2025-03-04T14:05:00',
    losses: [4.1234, 3.4119],
    images: 40,
    seconds: 300,
    hasEncoder: true,
    error: null,
    ...over,
  }
}

const progress = (over: Partial<TrainProgress>): TrainProgress => ({
  runId: 3, phase: 'training', epoch: 1, epochs: 4, batch: 0, batches: 10, loss: null, imagesPerSecond: null, etaSeconds: null, ...over,
})

describe('pretrain options', () => {
  it('starts from PretrainConfig defaults and sends every edited field, batch norm on', () => {
    const form = defaultPretrainForm()
    expect(form).toEqual({ epochs: 20, temperature: 0.5, tileSize: 128, batchSize: 16, stepsPerEpoch: null, depth: 4, baseFilters: 16 })
    expect(PRETRAIN_FIELDS.map((f) => f.key).sort()).toEqual(Object.keys(form).sort())
    const input = pretrainInput({ ...form, epochs: 1, stepsPerEpoch: 5, depth: 3, baseFilters: 8 })
    expect(PretrainConfig.parse(input)).toMatchObject({ epochs: 1, stepsPerEpoch: 5, temperature: 0.5, model: { depth: 3, baseFilters: 8, batchNorm: true } })
  })

  it('reports each invalid field by its form key, including the model ones', () => {
    expect(validatePretrainForm(defaultPretrainForm())).toEqual({})
    const problems = validatePretrainForm({ ...defaultPretrainForm(), tileSize: 100, batchSize: 1, depth: 6, temperature: Number.NaN })
    expect(Object.keys(problems).sort()).toEqual(['batchSize', 'depth', 'temperature', 'tileSize'])
  })

  it('summarises a run with its date, epochs, final loss, images and model; a stopped one says so', () => {
    expect(pretrainSummaryText(summary())).toBe('2025-03-04 14:05 · 2 epochs · final NT-Xent 3.412 · 40 images · U-Net 3×8')
    expect(finalLoss(summary({ losses: [] }))).toBeNull()
    const stopped = summary({ status: 'cancelled', losses: [5], finishedAt: null, hasEncoder: false })
    expect(pretrainSummaryText(stopped)).toBe('2025-03-04 14:00 · 1 epoch · final NT-Xent 5.000 · 40 images · U-Net 3×8 · cancelled')
    expect(pretrainSummaryText(summary({ status: 'failed', error: 'out of memory', losses: [] }))).toContain('no loss yet · 40 images · U-Net 3×8 · failed: out of memory')
  })

  it('names each initialisation', () => {
    expect(initText('scratch')).toBe('scratch')
    expect(initText('pretrained')).toBe('pretrained')
    expect(initText({ runId: 7 })).toBe('from run #7')
  })

  it('gives a run the encoder shape when it starts from the encoder, and back to scratch when not', () => {
    const config = TrainConfig.parse({ model: { depth: 4, baseFilters: 16, dropout: 0.2 } })
    const encoder = { depth: 3, baseFilters: 8, batchNorm: true }
    const on = withPretrainedInit(config, true, encoder)
    expect(on.init).toBe('pretrained')
    expect(on.model).toEqual({ depth: 3, baseFilters: 8, dropout: 0.2, batchNorm: true })
    expect(config.init).toBe('scratch')
    expect(withPretrainedInit(on, false, encoder).init).toBe('scratch')
    const fromRun = { ...config, init: { runId: 2 } }
    expect(withPretrainedInit(fromRun, false, encoder)).toBe(fromRun)
  })

  it('explains a model that cannot load the encoder', () => {
    const encoder = { depth: 3, baseFilters: 8, batchNorm: true }
    const config = TrainConfig.parse({ init: 'pretrained', model: { depth: 3, baseFilters: 8 } })
    expect(encoderMismatch(config, encoder)).toBeNull()
    expect(encoderMismatch({ ...config, init: 'scratch' }, null)).toBeNull()
    expect(encoderMismatch(config, null)).toMatch(/no pretrained encoder/)
    expect(encoderMismatch({ ...config, model: { ...config.model, baseFilters: 16 } }, encoder)).toBe(
      'The pretrained encoder is a U-Net 3×8; this run asks for 3×16.',
    )
  })

  it('keeps an older encoder in use when a newer pretraining stopped without one', () => {
    const done = summary({ id: 3 })
    const cancelled = summary({ id: 5, status: 'cancelled', hasEncoder: false })
    expect(knownEncoder(done, null)).toBe(done)
    expect(knownEncoder(cancelled, done)).toBe(done)
    expect(knownEncoder(cancelled, null)).toBeNull()
    expect(knownEncoder(null, done)).toBeNull()
    const newer = summary({ id: 6 })
    expect(knownEncoder(newer, done)).toBe(newer)
  })

  it('measures progress over epochs and steps', () => {
    expect(pretrainFraction(progress({ phase: 'preparing', epoch: 0, batches: 0 }))).toBe(0)
    expect(pretrainFraction(progress({ epoch: 1, batch: 5 }))).toBeCloseTo(0.125)
    expect(pretrainFraction(progress({ epoch: 3, batch: 10 }))).toBeCloseTo(0.75)
    expect(pretrainFraction(progress({ epoch: 4, batch: 20 }))).toBe(1)
    expect(pretrainFraction(progress({ phase: 'saving', epoch: 4 }))).toBe(1)
  })
})
