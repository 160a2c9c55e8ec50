/**
 * The LabelLoop variants of bench/quality/compare.ts against each other (issue 16): per seed what the
 * unlabeled images (`unlabeled`: consistency training) and one offline round (`round`) changed against
 * `labeled`, in macro-F1 points and rare-class IoU; then why, from the runs' own reports: what the teacher
 * took from the unlabeled pixels per class (thresholds, confident share, the validation precision that
 * scaled them) and, for the round, the accepted pseudo-labels' share and precision against the true masks.
 */
import { join } from 'node:path'
import { at, f3, mean, min, num, readJson, row, sd, text, variantFile, type SeedRow } from './summary-util'

const delta = (a: number | null | undefined, b: number | null | undefined): number | null => (a === null || a === undefined || b === null || b === undefined ? null : a - b)
const signed = (v: number | null, scale = 1, digits = 3): string => (v === null ? '—' : `${v >= 0 ? '+' : ''}${(v * scale).toFixed(digits)}`)

/** Δ against `labeled` per seed, mean ± sd and min (the targets: ≥ +2 points macro-F1 and ≥ +0.02 rare IoU every seed; a round never below 0). */
export function variantDeltaTable(rows: readonly SeedRow[], variants: readonly string[]): string[] {
  const others = variants.filter((v) => v !== 'labeled' && v !== 'default')
  const head = ['seed', 'labeled macro-F1 / rare IoU', ...others.flatMap((v) => [`${v} macro-F1 / rare IoU`, `Δ ${v} macro-F1 (points)`, `Δ ${v} rare IoU`])]
  const lines = [row(head), row(head.map(() => '---'))]
  const d = (r: SeedRow, v: string, k: 'macroF1' | 'rareIoU'): number | null => delta(r.variants[v]?.[k], r.variants.labeled?.[k])
  for (const r of rows) {
    const pair = (v: string): string => `${f3(r.variants[v]?.macroF1 ?? null)} / ${f3(r.variants[v]?.rareIoU ?? null)}`
    lines.push(row([r.seed, pair('labeled'), ...others.flatMap((v) => [pair(v), signed(d(r, v, 'macroF1'), 100, 1), signed(d(r, v, 'rareIoU'))])]))
  }
  const col = (v: string, k: 'macroF1' | 'rareIoU', scale: number): (number | null)[] => rows.map((r) => (d(r, v, k) === null ? null : (d(r, v, k) as number) * scale))
  // Signed like the per-seed cells: points with one decimal, IoU with three.
  const signedMeanSd = (xs: (number | null)[], digits: number): string => {
    const m = mean(xs)
    const s = sd(xs)
    return m === null ? '—' : `${signed(m, 1, digits)}${s === null ? '' : ` ± ${s.toFixed(digits)}`}`
  }
  lines.push(row(['mean ± sd', '', ...others.flatMap((v) => ['', signedMeanSd(col(v, 'macroF1', 100), 1), signedMeanSd(col(v, 'rareIoU', 1), 3)])]))
  lines.push(row(['min', '', ...others.flatMap((v) => ['', signed(min(col(v, 'macroF1', 1)), 100, 1), signed(min(col(v, 'rareIoU', 1)))])]))
  return lines
}

const perClass = (v: unknown, names: readonly string[], fmt: (x: number | null) => string): string =>
  Array.isArray(v) ? v.map((x, c) => `${names[c] ?? c} ${fmt(num(x))}`).join(', ') : '—'
const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)} %`)

/** The `unlabeled` runs' consistency training and the `round` variant's pseudo-labels, per seed. */
export function semiTables(rows: readonly SeedRow[], names: readonly string[]): string[] {
  const lines: string[] = []
  const semiRows = rows.map((r) => ({ r, semi: at(readJson(join(r.dir, variantFile('unlabeled', 'run'))), 'report', 'semi') })).filter((x) => x.semi)
  if (semiRows.length > 0) {
    const head = ['seed', 'unlabeled images', 'tiles (steps)', 'thresholds', 'confident share of unlabeled pixels', 'validation precision', 'ramp / note']
    lines.push('Consistency training (`unlabeled`):', '', row(head), row(head.map(() => '---')))
    for (const { r, semi } of semiRows) {
      lines.push(row([
        r.seed, text(at(semi, 'unlabeledImages')), `${text(at(semi, 'tilesSeen'))} (${text(at(semi, 'steps'))})`,
        perClass(at(semi, 'thresholds'), names, (x) => (x === null ? '—' : x.toFixed(2))), perClass(at(semi, 'confidentShare'), names, pct),
        perClass(at(semi, 'pseudoPrecision'), names, (x) => (x === null ? '—' : x.toFixed(2))), `${text(at(semi, 'ramp'))}${at(semi, 'note') ? `; ${text(at(semi, 'note'))}` : ''}`,
      ]))
    }
    lines.push('')
  }
  const roundRows = rows.map((r) => ({ r, q: readJson(join(r.dir, variantFile('round', 'pseudo'))) })).filter((x) => x.q)
  if (roundRows.length > 0) {
    const head = ['seed', 'pseudo-labels accepted / images', 'kept share of pixels', 'precision against the true masks', 'round thresholds']
    lines.push('Offline round (`round`): the accepted pseudo-labels', '', row(head), row(head.map(() => '---')))
    for (const { r, q } of roundRows) {
      const thresholds = at(q, 'params', 'thresholds') ?? at(q, 'params', 'classThresholds')
      lines.push(row([r.seed, `${text(at(q, 'accepted'))} / ${text(at(q, 'images'))}`, perClass(at(q, 'keptShare'), names, pct), perClass(at(q, 'precision'), names, (x) => (x === null ? '—' : x.toFixed(2))), text(thresholds)]))
    }
    lines.push('')
  }
  return lines
}
