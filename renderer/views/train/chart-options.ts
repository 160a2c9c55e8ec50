/**
 * ECharts options of the Train view's charts — loss, per-class IoU and macro-F1 curves over epochs (one
 * run, or two overlaid with the second dashed) and the row-normalised confusion matrix heatmap. Pure
 * functions of the metrics, tested without a canvas; animation is off because live runs redraw often.
 */
import type { HeatmapSeriesOption, LineSeriesOption } from 'echarts/charts'
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption, VisualMapComponentOption } from 'echarts/components'
import type { ComposeOption } from 'echarts/core'
import type { ClassDef, EpochMetrics } from '../../../core/contract'
import type { ChartColors } from '../../charts/theme-colors'

export type CurveOption = ComposeOption<LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>
export type HeatmapOption = ComposeOption<HeatmapSeriesOption | GridComponentOption | TooltipComponentOption | VisualMapComponentOption>

/** One run's epochs as drawn (x = EpochMetrics.epoch, which the engine numbers from 1): `label` prefixes series names when two runs are compared. */
export interface CurveRun {
  label: string
  epochs: readonly EpochMetrics[]
  /** Epochs the x axis spans (the planned epochs of a run still training), at least the last one shown. */
  span?: number
}

const LINE_STYLES = ['solid', 'dashed'] as const

/** The last epoch the x axis shows: every run's span or last epoch, at least 2 so one point is not alone. */
export function epochSpan(runs: readonly CurveRun[]): number {
  return Math.max(2, ...runs.map((r) => Math.max(r.span ?? 0, r.epochs[r.epochs.length - 1]?.epoch ?? 0)))
}

function base(runs: readonly CurveRun[], colors: ChartColors, yName: string, yMax: number | null): CurveOption {
  const axisLabel = { color: colors.muted, fontSize: 11 }
  return {
    animation: false,
    backgroundColor: 'transparent',
    grid: { left: 44, right: 12, top: 34, bottom: 28 },
    legend: { type: 'scroll', top: 0, textStyle: { color: colors.text, fontSize: 11 }, itemHeight: 8, itemWidth: 16, pageTextStyle: { color: colors.muted } },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? v.toFixed(3) : String(v ?? '—')) },
    xAxis: { type: 'value', name: 'epoch', nameLocation: 'end', nameTextStyle: axisLabel, min: 1, max: epochSpan(runs), minInterval: 1, axisLabel, splitLine: { show: false }, axisLine: { lineStyle: { color: colors.border } } },
    yAxis: { type: 'value', name: yName, nameTextStyle: axisLabel, min: 0, max: yMax ?? undefined, axisLabel, splitLine: { lineStyle: { color: colors.border } } },
  }
}

function line(name: string, color: string, data: Array<[number, number | null]>, runIndex: number): LineSeriesOption {
  return {
    type: 'line',
    name,
    data,
    color,
    showSymbol: data.length < 2,
    symbolSize: 5,
    connectNulls: false,
    lineStyle: { width: 2, type: LINE_STYLES[runIndex % LINE_STYLES.length] },
  }
}

const prefix = (runs: readonly CurveRun[], run: CurveRun, name: string): string => (runs.length > 1 ? `${run.label} ${name}` : name)

/** Training and validation loss per epoch. */
export function lossOption(runs: readonly CurveRun[], colors: ChartColors): CurveOption {
  const series = runs.flatMap((run, r) => [
    line(prefix(runs, run, 'train loss'), colors.accent, run.epochs.map((e) => [e.epoch, e.trainLoss]), r),
    line(prefix(runs, run, 'val loss'), colors.warn, run.epochs.map((e) => [e.epoch, e.valLoss]), r),
  ])
  return { ...base(runs, colors, 'loss', null), series }
}

/** Validation IoU of every class per epoch, in the class colours. */
export function iouOption(runs: readonly CurveRun[], classes: readonly ClassDef[], colors: ChartColors): CurveOption {
  const series = runs.flatMap((run, r) =>
    classes.map((c) =>
      line(prefix(runs, run, c.name), c.color, run.epochs.map((e) => [e.epoch, e.perClass.find((p) => p.index === c.index)?.iou ?? null]), r),
    ),
  )
  return { ...base(runs, colors, 'IoU', 1), series }
}

/** Macro-F1 and mIoU per epoch. */
export function scoreOption(runs: readonly CurveRun[], colors: ChartColors): CurveOption {
  const series = runs.flatMap((run, r) => [
    line(prefix(runs, run, 'macro-F1'), colors.accent, run.epochs.map((e) => [e.epoch, e.macroF1]), r),
    line(prefix(runs, run, 'mIoU'), colors.muted, run.epochs.map((e) => [e.epoch, e.mIoU]), r),
  ])
  return { ...base(runs, colors, 'score', 1), series }
}

/** Each row divided by its sum (the share of a true class's pixels predicted as each class); empty rows stay 0. */
export function normaliseRows(matrix: readonly (readonly number[])[]): number[][] {
  return matrix.map((row) => {
    const sum = row.reduce((a, b) => a + b, 0)
    return row.map((v) => (sum > 0 ? v / sum : 0))
  })
}

/** The confusion matrix as a heatmap: rows = true class (top to bottom), columns = predicted, rows normalised. */
export function confusionOption(matrix: readonly (readonly number[])[], classes: readonly ClassDef[], colors: ChartColors): HeatmapOption {
  const names = classes.map((c) => c.name)
  const shares = normaliseRows(matrix)
  const data: Array<[number, number, number]> = []
  shares.forEach((row, i) => row.forEach((v, j) => data.push([j, i, Math.round(v * 1000) / 1000])))
  const axisLabel = { color: colors.text, fontSize: 11 }
  const nameTextStyle = { color: colors.muted, fontSize: 11 }
  return {
    animation: false,
    backgroundColor: 'transparent',
    grid: { left: 80, right: 16, top: 8, bottom: 52 },
    tooltip: {
      formatter: (p) => {
        const [j, i, v] = (Array.isArray(p) ? p[0] : p).value as [number, number, number]
        return `${names[i]} → ${names[j]}: ${(v * 100).toFixed(1)}% (${matrix[i]?.[j] ?? 0} px)`
      },
    },
    xAxis: { type: 'category', data: names, name: 'predicted', nameLocation: 'middle', nameGap: 28, nameTextStyle, axisLabel, splitArea: { show: false } },
    yAxis: { type: 'category', data: names, name: 'true', nameLocation: 'middle', nameGap: 64, nameTextStyle, axisLabel, inverse: true },
    visualMap: {
      min: 0,
      max: 1,
      show: false,
      inRange: { color: [colors.background, colors.accent] },
    },
    series: [
      {
        type: 'heatmap',
        data,
        label: { show: true, color: colors.text, fontSize: 11, formatter: (p) => `${Math.round(((p.value as number[])[2] ?? 0) * 100)}%` },
        itemStyle: { borderColor: colors.border, borderWidth: 1 },
      },
    ],
  }
}
