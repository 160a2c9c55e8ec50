import { describe, expect, it } from 'vitest'
import type { ClassDef, EpochMetrics } from '../../../core/contract'
import type { ChartColors } from '../../charts/theme-colors'
import { confusionOption, epochSpan, iouOption, lossOption, normaliseRows, scoreOption } from './chart-options'

const colors: ChartColors = { text: '#fff', muted: '#999', border: '#333', background: '#111', accent: '#48f', warn: '#fa0' }
const classes: ClassDef[] = [
  { index: 0, name: 'ground', color: '#aa8844' },
  { index: 1, name: 'vehicle', color: '#ee3333' },
]

function epoch(n: number, valLoss: number | null): EpochMetrics {
  return {
    epoch: n,
    trainLoss: (11 - n) / 10,
    valLoss,
    perClass: [
      { index: 0, iou: 0.8 + (n - 1) * 0.01, dice: 0.9, precision: 0.9, recall: 0.9, f1: 0.9, support: 100 },
      { index: 1, iou: 0.1 * (n - 1), dice: 0.2, precision: 0.3, recall: 0.2, f1: 0.24, support: 5 },
    ],
    mIoU: 0.5,
    macroF1: 0.57,
    confusion: [
      [90, 10],
      [3, 1],
    ],
    learningRate: 1e-3,
    seconds: 2,
  }
}

type Series = Array<{ name: string; data: unknown[]; color: string; lineStyle: { type: string } }>

describe('normaliseRows', () => {
  it('divides each row by its sum and leaves empty rows at zero', () => {
    expect(normaliseRows([[3, 1], [0, 0], [0, 5]])).toEqual([[0.75, 0.25], [0, 0], [0, 1]])
  })
})

describe('curve options', () => {
  const run = { label: '#1', epochs: [epoch(1, 0.9), epoch(2, null)] }

  it('plots training and validation loss per epoch, a missing validation loss as a gap', () => {
    const series = lossOption([run], colors).series as Series
    expect(series.map((s) => s.name)).toEqual(['train loss', 'val loss'])
    expect(series[0].data).toEqual([[1, 1], [2, 0.9]])
    expect(series[1].data).toEqual([[1, 0.9], [2, null]])
  })

  it('draws one IoU curve per class in its colour', () => {
    const series = iouOption([run], classes, colors).series as Series
    expect(series.map((s) => [s.name, s.color])).toEqual([['ground', '#aa8844'], ['vehicle', '#ee3333']])
    expect(series[1].data).toEqual([[1, 0], [2, 0.1]])
  })

  it('overlays two runs with their labels, the second dashed', () => {
    const other = { label: '#2', epochs: [epoch(1, 0.5)] }
    const series = scoreOption([run, other], colors).series as Series
    expect(series.map((s) => s.name)).toEqual(['#1 macro-F1', '#1 mIoU', '#2 macro-F1', '#2 mIoU'])
    expect(series.map((s) => s.lineStyle.type)).toEqual(['solid', 'solid', 'dashed', 'dashed'])
  })
})

describe('epochSpan', () => {
  it('spans the planned epochs of a running run, else the last epoch, at least 2', () => {
    expect(epochSpan([{ label: 'a', epochs: [epoch(1, 1)] }])).toBe(2)
    expect(epochSpan([{ label: 'a', epochs: [epoch(1, 1)], span: 30 }])).toBe(30)
    expect(epochSpan([{ label: 'a', epochs: [epoch(1, 1), epoch(2, 1), epoch(3, 1)] }, { label: 'b', epochs: [] }])).toBe(3)
  })
})

describe('confusionOption', () => {
  it('puts row-normalised shares at (predicted, true) cells', () => {
    const option = confusionOption(epoch(1, 1).confusion, classes, colors)
    const data = (option.series as Array<{ data: number[][] }>)[0].data
    expect(data).toEqual([[0, 0, 0.9], [1, 0, 0.1], [0, 1, 0.75], [1, 1, 0.25]])
  })
})
