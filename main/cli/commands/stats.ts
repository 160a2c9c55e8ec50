/**
 * `labelloop stats <project> [--beta β] [--json]`: class balance of a project's current masks. With
 * --json, exactly `{ classes: [{ index, name, pixels, share, images, frequency }], weights: {
 * inverseFrequency, medianFrequency, effectiveNumber } }`; otherwise a table, the warnings and the
 * recommended training preset.
 */
import { resolve } from 'node:path'
import { InvalidArgumentError, type Command } from 'commander'
import { formatShare } from '../../../core/balance'
import type { BalanceResult } from '../../../core/contract'
import type { CommandContext } from '../output'
import { requireProjectFile } from './info'

/** The machine-readable shape `--json` prints (the contract, nothing more). */
export interface StatsJson {
  classes: Array<{ index: number; name: string; pixels: number; share: number; images: number; frequency: number }>
  weights: BalanceResult['weights']
}

/** Picks the --json fields out of a balance:get result. */
export function statsJson(b: BalanceResult): StatsJson {
  return {
    classes: b.classes.map(({ index, name, pixels, share, images, frequency }) => ({ index, name, pixels, share, images, frequency })),
    weights: b.weights,
  }
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: string[]): string => cells.map((c, i) => (i === 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd()
  return [line(head), ...rows.map(line)].join('\n')
}

const num = (n: number, digits = 3): string => n.toFixed(digits)

/** The human report: one row per class, then warnings and the recommendation. */
export function describeStats(b: BalanceResult): string {
  const rows = b.classes.map((c, i) => [
    String(c.index),
    c.name,
    String(c.pixels),
    formatShare(c.share),
    `${c.images}/${b.totals.labeledImages}`,
    num(c.frequency, 4),
    num(b.weights.inverseFrequency[i]),
    num(b.weights.medianFrequency[i]),
    num(b.weights.effectiveNumber[i]),
  ])
  const head = ['#', 'class', 'pixels', 'share', 'images', 'freq', 'w.inverse', 'w.median', `w.effective(β=${b.beta})`]
  const out = [
    `Labeled pixels: ${b.totals.labeledPixels} in ${b.totals.labeledImages} of ${b.totals.images} images`,
    '',
    table(head, rows),
    '',
  ]
  if (b.warnings.length > 0) out.push('Warnings:', ...b.warnings.map((w) => `  - ${w}`), '')
  out.push(`Recommended preset: ${b.recommendation.preset} — ${b.recommendation.reason}`)
  return out.join('\n')
}

function parseBeta(value: string): number {
  const beta = Number(value)
  if (value.trim() === '' || !(beta >= 0 && beta < 1)) throw new InvalidArgumentError('β must be a number in [0, 1), e.g. 0.9999')
  return beta
}

async function runStats(ctx: CommandContext, file: string, beta: number | undefined): Promise<number> {
  const path = resolve(ctx.io.cwd, file)
  try {
    requireProjectFile(path)
    const host = await ctx.createHost('cli')
    try {
      await host.dispatch('project:open', { path })
      const b = (await host.dispatch('balance:get', beta === undefined ? {} : { beta })) as BalanceResult
      ctx.out.result(statsJson(b), describeStats(b))
      return 0
    } finally {
      await host.close()
    }
  } catch (err) {
    return ctx.out.fail(err, path)
  }
}

export function registerStats(program: Command, ctx: (json: boolean) => CommandContext, done: (code: number) => void): void {
  program
    .command('stats')
    .description('class balance: pixels, share, images and frequency per class, and the class weights')
    .argument('<project>', 'project file')
    .option('--beta <β>', 'β of the effective-number weights, in [0, 1) (default 0.9999)', parseBeta)
    .option('--json', 'print {classes, weights} as one JSON object on stdout')
    .action(async (file: string, opts: { json?: boolean; beta?: number }) => done(await runStats(ctx(opts.json === true), file, opts.beta)))
}
