import { describe, expect, it } from 'vitest'
import type { ClassDef, ClassMetrics, EpochMetrics } from '../../../core/contract'
import { guidance, plural } from './guidance'

const classes: ClassDef[] = [
  { index: 0, name: 'ground', color: '#8a7f5a' },
  { index: 1, name: 'road', color: '#9a9a9a' },
  { index: 2, name: 'vehicle', color: '#e04040' },
]

function cls(index: number, recall: number, precision: number, support = 10_000): ClassMetrics {
  const f1 = recall + precision === 0 ? 0 : (2 * recall * precision) / (recall + precision)
  return { index, iou: f1 / (2 - f1), dice: f1, precision, recall, f1, support }
}

function epoch(n: number, perClass: ClassMetrics[], opts: Partial<EpochMetrics> = {}): EpochMetrics {
  const k = perClass.length
  const confusion = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 100 : 0)))
  return {
    epoch: n,
    trainLoss: 1 / (n + 1),
    valLoss: 1 / (n + 1),
    perClass,
    mIoU: perClass.reduce((a, c) => a + c.iou, 0) / k,
    macroF1: perClass.reduce((a, c) => a + c.f1, 0) / k,
    confusion,
    learningRate: 1e-3,
    seconds: 10,
    ...opts,
  }
}

const good = [cls(0, 0.95, 0.94), cls(1, 0.9, 0.88), cls(2, 0.8, 0.75)]

describe('guidance', () => {
  it('returns nothing before the first epoch', () => {
    expect(guidance({ epochs: [], classes, preset: 'balanced', plannedEpochs: 5 })).toEqual([])
  })

  it('names a class with low recall and suggests Rare objects when another preset is in use', () => {
    const g = guidance({ epochs: [epoch(0, [cls(0, 0.95, 0.9), cls(1, 0.9, 0.9), cls(2, 0.21, 0.6)])], classes, preset: 'balanced', plannedEpochs: 1 })
    expect(g[0]).toEqual({ level: 'warn', classIndex: 2, text: 'vehicle recall 0.21 — label more vehicles or switch to Rare objects.' })
  })

  it('suggests training longer instead when Rare objects is already the preset', () => {
    const g = guidance({ epochs: [epoch(0, [cls(0, 0.95, 0.9), cls(1, 0.9, 0.9), cls(2, 0.3, 0.6)])], classes, preset: 'rare-objects', plannedEpochs: 1 })
    expect(g[0].text).toBe('vehicle recall 0.30 — label more vehicles or train longer.')
  })

  it('never suggests another preset under Auto, which races the recipes itself, and points to the race', () => {
    const g = guidance({ epochs: [epoch(0, [cls(0, 0.95, 0.9), cls(1, 0.9, 0.9), cls(2, 0.21, 0.6)])], classes, preset: 'auto', plannedEpochs: 1 })
    expect(g[0]).toEqual({ level: 'warn', classIndex: 2, text: 'vehicle recall 0.21 — label more vehicles or train longer; Auto already raced the recipes on validation (see the race in the run report).' })
    expect(g.map((x) => x.text).join(' ')).not.toMatch(/switch to/i)
  })

  it('orders low-recall classes from the worst and flags classes without validation pixels', () => {
    const g = guidance({ epochs: [epoch(0, [cls(0, 0.4, 0.9), cls(1, 0.1, 0.9), cls(2, 0, 0, 0)])], classes, preset: null, plannedEpochs: 1 })
    expect(g.map((x) => x.classIndex)).toEqual([2, 1, 0])
    expect(g[0].text).toContain('vehicle has no labeled pixels in the validation images')
  })

  it('explains low precision with the class it is painted over', () => {
    const m = epoch(0, [cls(0, 0.9, 0.9), cls(1, 0.9, 0.3), cls(2, 0.9, 0.9)])
    m.confusion = [
      [100, 60, 0],
      [0, 100, 0],
      [0, 5, 100],
    ]
    const g = guidance({ epochs: [m], classes, preset: 'plain', plannedEpochs: 1 })
    expect(g[0].text).toBe('road precision 0.30 — the model paints road where it is not (often where the truth is ground); check those labels or use a milder class weighting.')
  })

  it('names a large confusion between two classes with its share', () => {
    const m = epoch(0, good)
    m.confusion = [
      [60, 40, 0],
      [0, 100, 0],
      [0, 0, 100],
    ]
    const g = guidance({ epochs: [m], classes, preset: 'plain', plannedEpochs: 1 })
    expect(g).toEqual([{ level: 'info', classIndex: 0, text: '40% of ground pixels are predicted as road — label more ground/road borders carefully, or enable the boundary head.' }])
  })

  it('detects overfitting: validation loss rising for three epochs while training loss falls', () => {
    const losses = [0.5, 0.55, 0.6, 0.7]
    const epochs = losses.map((v, i) => epoch(i, good, { valLoss: v, trainLoss: 1 - i * 0.1 }))
    const g = guidance({ epochs, classes, preset: 'balanced', plannedEpochs: 10 })
    expect(g).toHaveLength(1)
    expect(g[0].level).toBe('warn')
    expect(g[0].text).toMatch(/^Validation loss rose for 3 epochs/)
  })

  it('suggests more epochs when a finished run was still improving', () => {
    const epochs = [0.5, 0.6, 0.7].map((f, i) => ({ ...epoch(i, good), macroF1: f }))
    const g = guidance({ epochs, classes, preset: 'balanced', plannedEpochs: 3 })
    expect(g).toEqual([{ level: 'info', text: 'Macro-F1 still rose by 0.20 over the last epochs — more epochs would likely help.' }])
  })

  it('says all is well with the macro-F1 when nothing needs fixing', () => {
    const g = guidance({ epochs: [epoch(0, good)], classes, preset: 'balanced', plannedEpochs: 5 })
    expect(g).toHaveLength(1)
    expect(g[0].level).toBe('ok')
    expect(g[0].text).toContain('macro-F1 0.87')
  })

  it('keeps at most six items, warnings first', () => {
    const many = Array.from({ length: 9 }, (_, i) => cls(i, i < 5 ? 0.1 : 0.9, 0.9, i >= 5 && i < 8 ? 10 : 10_000))
    const g = guidance({ epochs: [epoch(0, many)], classes, preset: 'plain', plannedEpochs: 1 })
    expect(g).toHaveLength(6)
    expect(g.slice(0, 5).every((x) => x.level === 'warn')).toBe(true)
    expect(g[5].level).toBe('info')
  })
})

describe('plural', () => {
  it('pluralises simple English class names', () => {
    expect([plural('vehicle'), plural('bus'), plural('body'), plural('day'), plural('dry soil')]).toEqual([
      'vehicles',
      'buses',
      'bodies',
      'days',
      'dry soil pixels',
    ])
  })
})
