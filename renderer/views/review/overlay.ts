/**
 * Pixels of the review view's maps: the pseudo mask in class colours over the image (255 transparent)
 * and the confidence map as a red → yellow → green heatmap, as 256-entry colour tables the maps are
 * rendered through (review-preview.ts). Pure, so the colours are tested without a canvas.
 */
import { UNLABELED } from '../../../core/contract'
import type { ColorTable } from '../../canvas/mask-buffer'

/** [r, g, b] of '#rrggbb'. */
export function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

/**
 * Colour table of a class-index mask: entry i is the colour of `colors[i]` at `alpha`; unlabeled (255)
 * and indices without a colour are transparent.
 */
export function maskTable(colors: readonly string[], alpha = 150): ColorTable {
  const table = new Uint8ClampedArray(256 * 4)
  colors.slice(0, UNLABELED).forEach((hex, i) => table.set([...hexToRgb(hex), alpha], i * 4))
  return table
}

const STOPS: readonly [number, number, number][] = [
  [214, 48, 49],
  [240, 196, 64],
  [52, 178, 110],
]

/** The heatmap colour of a confidence level 0..255 (low red, middle yellow, high green). */
export function heatColor(level: number): [number, number, number] {
  const t = Math.min(1, Math.max(0, level / 255)) * (STOPS.length - 1)
  const i = Math.min(STOPS.length - 2, Math.floor(t))
  const f = t - i
  const a = STOPS[i]
  const b = STOPS[i + 1]
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)]
}

/** Colour table of 8-bit confidence levels as an opaque heatmap. */
export function heatTable(): ColorTable {
  const table = new Uint8ClampedArray(256 * 4)
  for (let l = 0; l < 256; l++) table.set([...heatColor(l), 255], l * 4)
  return table
}

/** A 0..1 value as a percentage with one decimal. */
export function pct(x: number | null): string {
  return x === null ? '—' : `${(x * 100).toFixed(1)} %`
}

/** A class-share change in percentage points, signed. */
export function shiftText(before: number, after: number): string {
  const pp = (after - before) * 100
  if (Math.abs(pp) < 0.05) return '±0'
  return `${pp > 0 ? '+' : '−'}${Math.abs(pp).toFixed(1)} pp`
}
