/**
 * Markdown summary of bench/quality/compare.ts: per set, LabelLoop's rare-class IoU and macro-F1 on the
 * eval images against each PyTorch recipe's, the best recipe per seed (best per metric: the strictest
 * reading of "the best of four"), the ratios LabelLoop / best torch, mean ± sample standard deviation and
 * the minimum over seeds (the target is ≥ 1.0 on every seed), the mean per-class IoU, and the profile of
 * the LabelLoop run (whatever its stored report carries: steps, validation share, stop reason, race).
 * With several LabelLoop variants (compare.ts --variants) each gets its tables, then what the unlabeled
 * images changed against `labeled` (./compare-variants.ts). The one-variant layout of older runs
 * (labelloop-eval.json) reads as the variant `default`.
 *
 *   tsx bench/quality/compare-summary.ts [bench/.out/quality-compare]
 */
import { existsSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { semiTables, variantDeltaTable } from './compare-variants'
import { at, f2, f3, isObject, mean, meanSd, min, num, readJson, row, text, variantFile, type Score, type SeedRow } from './summary-util'

/** Column order of the torch recipes (compare.ts's); any other recipe found follows, sorted. */
const RECIPE_ORDER = ['ce-rare-crop', 'ce-dice', 'weighted-ce', 'focal']

function perClassIoU(result: unknown): (number | null)[] {
  const pc = at(result, 'perClass')
  return Array.isArray(pc) ? pc.map((c) => num(at(c, 'iou'))) : []
}

function labelLoopScore(result: unknown, rare: number): Score | null {
  if (!isObject(result) || !Array.isArray(result.perClass)) return null
  const ious = perClassIoU(result)
  return { rareIoU: ious[rare] ?? null, macroF1: num(result.macroF1), perClassIoU: ious }
}

function torchScore(result: unknown): Score | null {
  if (!isObject(result) || !Array.isArray(result.perClass)) return null
  return { rareIoU: num(result.rareIoU), macroF1: num(result.macroF1), perClassIoU: perClassIoU(result) }
}

const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null || b === 0 ? null : a / b)

/** The recipe with the highest value of `pick` among the seed's torch results. */
function best(torch: Record<string, Score | null>, pick: (s: Score) => number | null): { recipe: string; value: number } | null {
  let top: { recipe: string; value: number } | null = null
  for (const [recipe, s] of Object.entries(torch)) {
    const v = s ? pick(s) : null
    if (v !== null && (top === null || v > top.value)) top = { recipe, value: v }
  }
  return top
}

function scoreTable(rows: readonly SeedRow[], recipes: readonly string[]): string[] {
  const head = ['seed', 'LabelLoop rare IoU', 'LabelLoop macro-F1', ...recipes.map((r) => `${r} rare IoU / macro-F1`), 'best torch rare IoU', 'best torch macro-F1', 'ratio rare IoU', 'ratio macro-F1']
  const lines = [row(head), row(head.map(() => '---'))]
  const rr = rows.map((r) => ratio(r.labelloop?.rareIoU ?? null, r.bestRare?.value ?? null))
  const rf = rows.map((r) => ratio(r.labelloop?.macroF1 ?? null, r.bestF1?.value ?? null))
  rows.forEach((r, i) => {
    const bestCell = (b: { recipe: string; value: number } | null): string => (b ? `${f3(b.value)} (${b.recipe})` : '—')
    lines.push(row([r.seed, f3(r.labelloop?.rareIoU ?? null), f3(r.labelloop?.macroF1 ?? null), ...recipes.map((k) => `${f3(r.torch[k]?.rareIoU ?? null)} / ${f3(r.torch[k]?.macroF1 ?? null)}`), bestCell(r.bestRare), bestCell(r.bestF1), f2(rr[i]), f2(rf[i])]))
  })
  const col = (pick: (r: SeedRow) => number | null): (number | null)[] => rows.map(pick)
  const torchCell = (k: string, agg: (xs: (number | null)[]) => string): string => `${agg(col((r) => r.torch[k]?.rareIoU ?? null))} / ${agg(col((r) => r.torch[k]?.macroF1 ?? null))}`
  lines.push(row(['mean ± sd', meanSd(col((r) => r.labelloop?.rareIoU ?? null)), meanSd(col((r) => r.labelloop?.macroF1 ?? null)), ...recipes.map((k) => torchCell(k, meanSd)), meanSd(col((r) => r.bestRare?.value ?? null)), meanSd(col((r) => r.bestF1?.value ?? null)), meanSd(rr), meanSd(rf)]))
  lines.push(row(['min', f3(min(col((r) => r.labelloop?.rareIoU ?? null))), f3(min(col((r) => r.labelloop?.macroF1 ?? null))), ...recipes.map((k) => torchCell(k, (xs) => f3(min(xs)))), f3(min(col((r) => r.bestRare?.value ?? null))), f3(min(col((r) => r.bestF1?.value ?? null))), f2(min(rr)), f2(min(rf))]))
  return lines
}

function classTable(rows: readonly SeedRow[], recipes: readonly string[], classes: readonly string[]): string[] {
  const lines = [row(['mean IoU over seeds', ...classes]), row(['---', ...classes.map(() => '---')])]
  const line = (name: string, pick: (r: SeedRow) => Score | null): string => row([name, ...classes.map((_, k) => f3(mean(rows.map((r) => pick(r)?.perClassIoU[k] ?? null))))])
  lines.push(line('LabelLoop', (r) => r.labelloop))
  for (const k of recipes) lines.push(line(k, (r) => r.torch[k] ?? null))
  return lines
}

/** The LabelLoop run's profile: config, the report fields that exist, and the process seconds and load. */
function profileTable(rows: readonly SeedRow[], recipes: readonly string[], variant: string): string[] {
  const head = ['seed', 'preset', 'recipe kept', 'race winner (margin, clear)', 'steps', 'epochs', 'stop', 'validation share', 'rare class first seen (epoch)', 'tile / batch / depth / base', 'run s: train + validation (budget)', 'train process s', 'load before', 'torch steps (train s)']
  const lines = [row(head), row(head.map(() => '---'))]
  for (const r of rows) {
    const run = readJson(join(r.dir, variantFile(variant, 'run')))
    const report = at(run, 'report')
    const race = at(report, 'race')
    const steps = readJson(join(r.dir, 'steps.json'))
    const trainStep = Array.isArray(steps) ? steps.find((s) => at(s, 'name') === variantFile(variant, 'train').slice(0, -5)) : undefined
    const epochs = at(run, 'epochs')
    const recipe = at(report, 'recipe')
    const cfg = at(run, 'config')
    const torchSteps = recipes.map((k) => {
      const t = readJson(join(r.dir, `torch-${k}.json`))
      return `${text(at(t, 'steps'))} (${text(num(at(t, 'trainSeconds')) === null ? null : Math.round(num(at(t, 'trainSeconds')) ?? 0))} s)`
    }).join(' / ')
    const used = [num(at(report, 'trainSeconds')), num(at(report, 'validationSeconds'))]
    lines.push(row([
      r.seed, text(at(cfg, 'preset')),
      isObject(recipe) ? `${text(recipe.loss)}, ${text(recipe.classWeights)} weights, crop ${text(recipe.rareCrop)}, paste ${text(recipe.copyPaste)}` : '—',
      race === undefined || race === null ? '—' : `${text(at(race, 'winner'))} (${text(at(race, 'margin'))}, ${text(at(race, 'clear'))})`,
      text(at(report, 'steps')), Array.isArray(epochs) ? String(epochs.length) : '—',
      `${text(at(report, 'stopReason'))}${at(report, 'stopDetail') ? `: ${text(at(report, 'stopDetail'))}` : ''}`,
      text(at(report, 'validationShare')), text(at(run, 'rareFirstEpoch')),
      [at(cfg, 'tileSize'), at(cfg, 'batchSize'), at(cfg, 'model', 'depth'), at(cfg, 'model', 'baseFilters')].map(text).join(' / '),
      `${used.map((v) => (v === null ? '—' : Math.round(v))).join(' + ')} (${text(num(at(cfg, 'minutes')) === null ? null : (num(at(cfg, 'minutes')) ?? 0) * 60)})`,
      text(num(at(trainStep, 'seconds'))), text(at(trainStep, 'uptime')).replace(/^.*load average:\s*/, ''), torchSteps,
    ]))
  }
  return lines
}

/** One line per seed whose LabelLoop or torch step failed, with the error it printed. */
function failures(rows: readonly SeedRow[]): string[] {
  const lines: string[] = []
  for (const r of rows) {
    const steps = readJson(join(r.dir, 'steps.json'))
    for (const s of Array.isArray(steps) ? steps : []) {
      if (at(s, 'exitCode') === 0) continue
      const name = text(at(s, 'name'))
      const message = at(readJson(join(r.dir, `${name}.json`)), 'error', 'message')
      lines.push(`- seed ${r.seed}: \`${name}\` exited ${text(at(s, 'exitCode'))}${message ? `: ${text(message)}` : ''}`)
    }
  }
  return lines.length > 0 ? [...lines, ''] : []
}

/** The LabelLoop variants with an eval result in any seed folder, in compare.ts's order. */
function variantsIn(dirs: readonly string[]): string[] {
  const found = new Set<string>()
  for (const d of dirs) {
    for (const f of readdirSync(d)) {
      const m = /^labelloop-(?:(labeled|unlabeled|round)-)?eval\.json$/.exec(f)
      if (m) found.add(m[1] ?? 'default')
    }
  }
  return ['default', 'labeled', 'unlabeled', 'round'].filter((v) => found.has(v))
}

function summarise(out: string): string[] {
  const lines: string[] = []
  const env = readJson(join(out, 'env.json'))
  if (env) lines.push(`Measured from ${text(at(env, 'startedAt'))}, ${text(at(env, 'node'))}, ${text(at(env, 'cores'))} cores, commit ${text(at(env, 'commit')).slice(0, 10)}${Array.isArray(at(env, 'dirty')) && (at(env, 'dirty') as unknown[]).length > 0 ? ' (working tree had uncommitted changes)' : ''}; arguments: ${text(at(env, 'argv'))}`, '')
  const sets = existsSync(out) ? readdirSync(out, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort() : []
  for (const set of sets) {
    const split = readJson(join(out, set, 'split.json'))
    const rare = num(at(split, 'rareClass', 'index')) ?? 0
    const classes = at(split, 'classes')
    const names = Array.isArray(classes) ? classes.map(text) : []
    const seeds = readdirSync(join(out, set)).filter((d) => /^seed\d+$/.test(d)).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)))
    const found = new Set(seeds.flatMap((s) => readdirSync(join(out, set, s)).filter((f) => /^torch-.*\.json$/.test(f)).map((f) => f.slice(6, -5))))
    const recipes = [...RECIPE_ORDER.filter((r) => found.has(r)), ...[...found].filter((r) => !RECIPE_ORDER.includes(r)).sort()]
    const variants = variantsIn(seeds.map((s) => join(out, set, s)))
    const rowsFor = (variant: string): SeedRow[] =>
      seeds.map((s) => {
        const dir = join(out, set, s)
        const torch = Object.fromEntries(recipes.map((k) => [k, torchScore(readJson(join(dir, `torch-${k}.json`)))]))
        const scores = Object.fromEntries(variants.map((v) => [v, labelLoopScore(readJson(join(dir, variantFile(v, 'eval'))), rare)]))
        return { seed: s.slice(4), dir, variants: scores, labelloop: scores[variant] ?? null, torch, bestRare: best(torch, (x) => x.rareIoU), bestF1: best(torch, (x) => x.macroF1) }
      })
    lines.push(`### ${set} (rare class: ${text(at(split, 'rareClass', 'name'))}; ${text((at(split, 'labeled') as unknown[] | undefined)?.length)} labeled, ${text((at(split, 'eval') as unknown[] | undefined)?.length)} eval images)`, '')
    for (const variant of variants.length > 0 ? variants : ['default']) {
      const rows = rowsFor(variant)
      if (variants.length > 1) lines.push(`#### LabelLoop \`${variant}\``, '')
      lines.push(...scoreTable(rows, recipes), '', ...classTable(rows, recipes, names), '', ...profileTable(rows, recipes, variant), '')
    }
    const rows = rowsFor(variants[0] ?? 'default')
    lines.push(...failures(rows))
    if (variants.includes('labeled') && variants.length > 1) lines.push(...variantDeltaTable(rows, variants), '', ...semiTables(rows, names), '')
  }
  return lines
}

console.log(summarise(resolve(process.argv[2] ?? 'bench/.out/quality-compare')).join('\n'))
