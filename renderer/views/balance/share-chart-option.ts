/**
 * The ECharts option of the Balance chart: two panels side by side in one canvas, the share of labeled
 * pixels per class (linear or log axis) and the number of labeled images that contain each class. Bars
 * take the class colours. A pure function of the data, so it is tested without a canvas.
 */
import type { BarSeriesOption } from 'echarts/charts'
import type { GridComponentOption, TitleComponentOption, TooltipComponentOption } from 'echarts/components'
import type { ComposeOption } from 'echarts/core'
import type { Balance } from './useBalance'
import { percent, pixels } from './format'

export type ShareChartOption = ComposeOption<BarSeriesOption | GridComponentOption | TitleComponentOption | TooltipComponentOption>

/** Colours the chart takes from the theme (CSS variables resolved by the caller). */
export interface ChartColors {
  text: string
  muted: string
  border: string
  background: string
}

/** Height in CSS pixels that gives each class a bar of readable thickness. */
export function chartHeight(classCount: number): number {
  return Math.max(180, 64 + classCount * 34)
}

export function shareChartOption(b: Balance, log: boolean, colors: ChartColors): ShareChartOption {
  const names = b.classes.map((c) => c.name)
  const labeledImages = b.totals.labeledImages
  const logFloor = decadeBelow(b.classes.map((c) => c.share))
  const axisText = { color: colors.muted, fontSize: 11 }
  const splitLine = { lineStyle: { color: colors.border } }
  const category = (gridIndex: number) => ({
    type: 'category' as const,
    gridIndex,
    data: names,
    inverse: true,
    axisTick: { show: false },
    axisLine: { lineStyle: { color: colors.border } },
    axisLabel: { color: colors.text, fontSize: 12, show: gridIndex === 0 },
  })
  return {
    animationDuration: 250,
    backgroundColor: 'transparent',
    textStyle: { fontFamily: 'system-ui, sans-serif' },
    title: [
      { text: `Share of labeled pixels${log ? ' (log scale)' : ''}`, left: 8, top: 0, textStyle: { color: colors.text, fontSize: 12, fontWeight: 600 } },
      { text: `Images containing the class (of ${labeledImages} labeled)`, left: '62%', top: 0, textStyle: { color: colors.text, fontSize: 12, fontWeight: 600 } },
    ],
    tooltip: {
      trigger: 'item',
      backgroundColor: colors.background,
      borderColor: colors.border,
      textStyle: { color: colors.text, fontSize: 12 },
      formatter: (p) => {
        const one = Array.isArray(p) ? p[0] : p
        const c = b.classes[one.dataIndex]
        if (!c) return ''
        return one.seriesIndex === 0
          ? `<b>${escapeHtml(c.name)}</b><br>${percent(c.share)} of labeled pixels<br>${pixels(c.pixels)} px`
          : `<b>${escapeHtml(c.name)}</b><br>in ${c.images} of ${labeledImages} labeled images`
      },
    },
    grid: [
      { left: 8, right: '42%', top: 28, bottom: 4, containLabel: true },
      { left: '62%', right: 28, top: 28, bottom: 4, containLabel: true },
    ],
    xAxis: [
      {
        type: log ? 'log' : 'value',
        gridIndex: 0,
        logBase: 10,
        // On a log axis bars must start at the axis minimum (a decade below the smallest share), not at 1.
        min: log ? logFloor : undefined,
        max: log ? 1 : undefined,
        startValue: log ? logFloor : undefined,
        axisLabel: { ...axisText, formatter: (v: number) => percent(v) },
        splitLine,
      },
      { type: 'value', gridIndex: 1, min: 0, max: Math.max(1, labeledImages), minInterval: 1, axisLabel: axisText, splitLine },
    ],
    yAxis: [category(0), category(1)],
    series: [
      {
        type: 'bar',
        name: 'share',
        xAxisIndex: 0,
        yAxisIndex: 0,
        barMaxWidth: 22,
        // A log axis cannot show 0: a class without pixels gets no bar (its label still says 0%).
        data: b.classes.map((c) => ({ value: log && c.share <= 0 ? null : c.share, itemStyle: { color: c.color } })),
        label: {
          show: true,
          position: 'right',
          color: colors.text,
          fontSize: 11,
          formatter: (p) => percent(b.classes[p.dataIndex]?.share ?? 0),
        },
      },
      {
        type: 'bar',
        name: 'images',
        xAxisIndex: 1,
        yAxisIndex: 1,
        barMaxWidth: 22,
        data: b.classes.map((c) => ({ value: c.images, itemStyle: { color: c.color, opacity: 0.75 } })),
        label: { show: true, position: 'right', color: colors.muted, fontSize: 11 },
      },
    ],
  }
}

/** The power of ten at or below the smallest positive share (0.1 when none is smaller): the log axis minimum. */
export function decadeBelow(shares: readonly number[]): number {
  const positive = shares.filter((s) => s > 0)
  if (positive.length === 0) return 0.1
  return Math.min(0.1, 10 ** Math.floor(Math.log10(Math.min(...positive)) + 1e-9))
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}
