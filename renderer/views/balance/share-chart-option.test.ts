import { describe, expect, it } from 'vitest'
import { chartHeight, decadeBelow, shareChartOption } from './share-chart-option'
import type { Balance } from './useBalance'

const colors = { text: '#eee', muted: '#aaa', border: '#333', background: '#111' }

function balance(shares: number[], images: number[]): Balance {
  const total = 1000
  return {
    classes: shares.map((share, index) => ({
      index,
      name: `c${index}`,
      color: `#00000${index}`,
      pixels: share * total,
      share,
      images: images[index],
      frequency: share,
      human: { pixels: share * total, images: images[index] },
      pseudo: { pixels: 0, images: 0 },
    })),
    totals: { labeledPixels: total, images: 10, labeledImages: 4 },
    weights: { inverseFrequency: [], medianFrequency: [], effectiveNumber: [] },
    beta: 0.9999,
    warnings: [],
    recommendation: { preset: 'plain', reason: '' },
  }
}

type Axis = { type: string; min?: number; max?: number; startValue?: number }
type Series = { data: Array<{ value: number | null; itemStyle: { color: string } }> }

describe('shareChartOption', () => {
  it('switches the share axis between linear and log and leaves absent classes without a bar on log', () => {
    const b = balance([0.9, 0.1, 0], [4, 2, 0])
    const linear = shareChartOption(b, false, colors)
    const log = shareChartOption(b, true, colors)
    expect((linear.xAxis as Axis[])[0].type).toBe('value')
    expect((log.xAxis as Axis[])[0]).toMatchObject({ type: 'log', min: 0.1, max: 1, startValue: 0.1 })
    expect((linear.xAxis as Axis[])[0]).toMatchObject({ min: undefined, startValue: undefined })
    expect((linear.series as Series[])[0].data.map((d) => d.value)).toEqual([0.9, 0.1, 0])
    expect((log.series as Series[])[0].data.map((d) => d.value)).toEqual([0.9, 0.1, null])
  })

  it('draws images per class against the number of labeled images, in class colours', () => {
    const o = shareChartOption(balance([0.5, 0.5], [4, 1]), false, colors)
    expect((o.xAxis as Axis[])[1]).toMatchObject({ type: 'value', max: 4 })
    const images = (o.series as Series[])[1].data
    expect(images.map((d) => [d.value, d.itemStyle.color])).toEqual([[4, '#000000'], [1, '#000001']])
  })

  it('starts log bars a decade at or below the smallest share', () => {
    expect(decadeBelow([0.87, 0.055, 0.0013])).toBeCloseTo(0.001, 15)
    expect(decadeBelow([0.5, 0.01])).toBeCloseTo(0.01, 15)
    expect(decadeBelow([0.5, 0.5])).toBe(0.1)
    expect(decadeBelow([0, 0])).toBe(0.1)
  })

  it('gives each class room', () => {
    expect(chartHeight(2)).toBe(180)
    expect(chartHeight(10)).toBe(404)
  })
})
