import { describe, expect, it } from 'vitest'
import { presetConfig, TrainConfig, type EpochMetrics, type RunSummary, type TrainProgress } from '../../../core/contract'
import { bestText, configSummary, duration, epochEstimate, runSeconds } from './format'

function run(epochSeconds: number[], over: Partial<RunSummary> = {}): RunSummary {
  const epochs = epochSeconds.map(
    (seconds, i): EpochMetrics => ({ epoch: i + 1, trainLoss: 1, valLoss: 1, perClass: [], mIoU: 0, macroF1: 0, confusion: [], learningRate: 1e-3, seconds }),
  )
  return {
    id: 1,
    status: 'running',
    config: TrainConfig.parse(presetConfig('balanced')),
    backend: 'wasm',
    device: 'cpu',
    startedAt: '2025-01-01T10:00:00.000Z',
    finishedAt: null,
    epochs,
    best: null,
    error: null,
    active: false,
    ...over,
  }
}

const progress = (batch: number, batches: number): TrainProgress => ({
  runId: 1, phase: 'training', epoch: 0, epochs: 3, batch, batches, loss: 1, imagesPerSecond: null, etaSeconds: null,
})

describe('format', () => {
  it('summarises a configuration', () => {
    expect(configSummary(TrainConfig.parse({ ...presetConfig('balanced'), epochs: 1 }))).toBe('Balanced · ce-dice/median · 256 px × 8 · U-Net 4×16 · 1 epoch')
    expect(configSummary(TrainConfig.parse({ loss: { name: 'ce', classWeights: 'none' } }))).toBe('Custom · ce · 256 px × 8 · U-Net 4×16 · 30 epochs')
  })

  it('writes durations in s, min and h', () => {
    expect([duration(42.4), duration(125), duration(3720)]).toEqual(['42 s', '2 min 05 s', '1 h 02 min'])
  })

  it('measures a run until it finished, or until now while it runs', () => {
    expect(runSeconds(run([], { finishedAt: '2025-01-01T10:01:30.000Z' }), 0)).toBe(90)
    expect(runSeconds(run([]), Date.parse('2025-01-01T10:00:10.000Z'))).toBe(10)
  })

  it('shows the best metric with its epoch (numbered from 1 by the engine)', () => {
    expect(bestText(run([]))).toBe('—')
    expect(bestText(run([], { best: { epoch: 3, metric: 'macroF1', value: 0.73412 } }))).toBe('macro-F1 0.734 @ epoch 3')
  })

  it('estimates an epoch from finished epochs, else from the batches so far', () => {
    expect(epochEstimate(run([10, 20]), progress(1, 10), 3)).toBe(15)
    expect(epochEstimate(run([]), progress(4, 10), 2)).toBe(5)
    expect(epochEstimate(run([]), progress(0, 10), 2)).toBeNull()
    expect(epochEstimate(run([]), null, 2)).toBeNull()
  })
})
