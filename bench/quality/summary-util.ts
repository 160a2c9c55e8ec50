/**
 * What the summaries of bench/quality/compare.ts share: reading the JSON files of a seed folder, the
 * scores compared, and the formatting of Markdown table cells.
 */
import { existsSync, readFileSync } from 'node:fs'

export type Json = Record<string, unknown>

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

/** Follows `keys` through nested objects; undefined where a step is missing. */
export function at(o: unknown, ...keys: string[]): unknown {
  let v = o
  for (const k of keys) v = isObject(v) ? v[k] : undefined
  return v
}

export function readJson(file: string): unknown {
  if (!existsSync(file)) return null
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return null
  }
}

/** The scores compared: rare-class IoU and macro-F1 on the eval images, plus per-class IoU. */
export interface Score {
  rareIoU: number | null
  macroF1: number | null
  perClassIoU: (number | null)[]
}

export const f3 = (v: number | null): string => (v === null ? '—' : v.toFixed(3))

export const f2 = (v: number | null): string => (v === null ? '—' : v.toFixed(2))

export function mean(xs: readonly (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null)
  return v.length > 0 ? v.reduce((a, b) => a + b, 0) / v.length : null
}

export function sd(xs: readonly (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null)
  const m = mean(v)
  if (m === null || v.length < 2) return null
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1))
}

export function meanSd(xs: readonly (number | null)[]): string {
  const s = sd(xs)
  return s === null ? f3(mean(xs)) : `${f3(mean(xs))} ± ${f3(s)}`
}

export function min(xs: readonly (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null)
  return v.length > 0 ? Math.min(...v) : null
}

export interface SeedRow {
  seed: string
  /** Per LabelLoop variant (labeled, unlabeled, round; `default` for the one-variant layout). */
  variants: Record<string, Score | null>
  labelloop: Score | null
  torch: Record<string, Score | null>
  bestRare: { recipe: string; value: number } | null
  bestF1: { recipe: string; value: number } | null
  dir: string
}

export function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`
}

export const text = (v: unknown): string => (v === undefined || v === null ? '—' : typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : typeof v === 'string' ? v : JSON.stringify(v))

/** A variant's file in a seed folder: labelloop-<variant>-<what>.json, or labelloop-<what>.json for `default`. */

export const variantFile = (variant: string, what: string): string => (variant === 'default' ? `labelloop-${what}.json` : `labelloop-${variant}-${what}.json`)
