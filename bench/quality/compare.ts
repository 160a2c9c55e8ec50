/**
 * LabelLoop against PyTorch on the real sets (issue 15, part 3). For each set and seed, strictly one
 * process at a time (the machine's cores are the budget being compared):
 *
 *  1. LabelLoop as a new user runs it, through its own CLI on Node 22, once per variant (--variants, in
 *     this order; each `train --minutes M --seed S --json` with no recipe option, i.e. preset auto):
 *     - `labeled`: `new`, `import` of the 10 labeled images with their masks, `train`. The project has no
 *       unlabeled image, so no semi-supervised training can run.
 *     - `unlabeled`: the same plus `import` of the unlabeled pool, trained with `--semi` (consistency
 *       training, issue 16, off by default since these measurements; its report carries `semi`).
 *     - `round` (needs `labeled`, from this invocation or left in the seed folder): a copy of the labeled
 *       project gets the unlabeled pool, `predict --round` with the labeled model (the app's own per-class
 *       thresholds and defaults), `review --accept-above A` (default 0: every pseudo-label, whose pixels the
 *       round already cut at its thresholds), then `train --no-semi`: one offline round, nothing else.
 *       The accepted pseudo-labels are scored against the unlabeled images' true masks (unlabeled/truth,
 *       never imported): labelloop-round-pseudo.json.
 *     Then a copy of each trained project gets the eval images (no masks) and `eval --masks eval/masks
 *     --json` scores its active model on them.
 *  2. bench/quality/torch_baseline.py once per recipe and seed (not per variant), with the tile size,
 *     batch, depth, base filters and dropout the first LabelLoop variant actually used (its stored
 *     config), the same minutes, --threads threads.
 *
 * `uptime` is recorded before every process. Everything lands in <out>/<set>/seed<S>/: one JSON per step
 * (stdout; LabelLoop steps named labelloop-<variant>-<step>), its stderr as .log, steps.json (command,
 * load before, seconds, exit code), labelloop-<variant>-run.json (the run's config, report and per-epoch
 * profile read from the project file) and the projects in project-<variant>/. compare-summary.ts makes
 * the tables (it also reads the older one-variant layout: labelloop-eval.json, labelloop-run.json). Run
 * it through compare.sh, which puts Node 22 first on PATH.
 *
 *   tsx bench/quality/compare.ts [--sets isbi2012-membrane,dubai-aerial] [--seeds 1,2,3] [--minutes 5]
 *       [--variants labeled,unlabeled[,round]] [--accept-above 0] [--recipes ce-rare-crop,ce-dice,weighted-ce,focal]
 *       [--only all|labelloop|torch] [--threads 2] [--python /usr/bin/python3] [--data bench/.out/quality-data]
 *       [--out bench/.out/quality-compare]
 *
 * `--only labelloop` reruns the listed LabelLoop variants and keeps the torch results (and any other
 * variant's files) already in the seed folder; `--only torch` reruns the torch recipes with the shape of
 * the LabelLoop run already there.
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import { TrainConfig } from '../../core/contract'
import { decodeMaskPng } from '../../core/imaging'
import { prepareSet, type SplitInfo } from './datasets'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const NODE22 = join(ROOT, 'node_modules', '.bin', 'node')
const CLI = join(ROOT, 'bin', 'labelloop.js')
const TORCH = join(ROOT, 'bench', 'quality', 'torch_baseline.py')
export const RECIPES = ['ce-rare-crop', 'ce-dice', 'weighted-ce', 'focal'] as const
/** The LabelLoop variants, in the order they run (round starts from labeled's model). */
export const VARIANTS = ['labeled', 'unlabeled', 'round'] as const
export type Variant = (typeof VARIANTS)[number]

/** One process of the comparison, as steps.json records it. */
interface StepRecord {
  name: string
  argv: string[]
  uptime: string
  loadBefore: number[]
  startedAt: string
  seconds: number
  exitCode: number | null
}

/** What the torch runs copy from the LabelLoop run (or TrainConfig's defaults when it has none). */
interface ModelShape {
  tileSize: number
  batchSize: number
  depth: number
  baseFilters: number
  dropout: number
  from: 'labelloop-run' | 'defaults'
}

type Json = Record<string, unknown>

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const numberAt = (o: unknown, key: string): number | undefined => (isObject(o) && typeof o[key] === 'number' ? o[key] : undefined)

/** Runs one command to completion (never in parallel with another), saving stdout as <name>.json and stderr as <name>.log. */
function step(dir: string, steps: StepRecord[], name: string, argv: string[], timeoutSeconds: number, env: Record<string, string> = {}): unknown {
  const uptime = spawnSync('uptime', { encoding: 'utf8' }).stdout.trim()
  const record: StepRecord = { name, argv, uptime, loadBefore: loadavg(), startedAt: new Date().toISOString(), seconds: 0, exitCode: null }
  console.error(`[${record.startedAt}] ${name}: ${uptime}`)
  const t0 = performance.now()
  const r = spawnSync(argv[0], argv.slice(1), { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: timeoutSeconds * 1000, killSignal: 'SIGTERM' })
  record.seconds = (performance.now() - t0) / 1000
  record.exitCode = r.status
  steps.push(record)
  writeFileSync(join(dir, 'steps.json'), `${JSON.stringify(steps, null, 2)}\n`)
  writeFileSync(join(dir, `${name}.log`), `${r.stderr ?? ''}${r.error ? `\n${r.error.message}\n` : ''}`)
  const out = (r.stdout ?? '').trim().split('\n').filter(Boolean).pop() ?? ''
  let parsed: unknown = null
  try {
    parsed = out ? JSON.parse(out) : null
  } catch {
    parsed = { unparsedStdout: r.stdout }
  }
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(parsed, null, 2)}\n`)
  console.error(`  ${name}: exit ${r.status ?? r.signal ?? '?'} after ${record.seconds.toFixed(1)} s`)
  if (r.status !== 0) throw new Error(`${name} failed (exit ${r.status ?? r.signal ?? '?'}); see ${join(dir, `${name}.log`)}`)
  return parsed
}

/** The run's stored config, report and per-epoch profile, read (read-only) from the project file. */
function readRun(project: string, runId: number, rare: number): Json {
  const db = new Database(project, { readonly: true, fileMustExist: true })
  try {
    const row = db.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as Record<string, unknown> | undefined
    if (!row) throw new Error(`${project}: no run ${runId}`)
    const parse = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : null)
    const epochs = parse(row.epochs)
    const profile = (Array.isArray(epochs) ? epochs : []).filter(isObject).map((e) => {
      const perClass = Array.isArray(e.perClass) ? e.perClass : []
      return { epoch: e.epoch, trainLoss: e.trainLoss, valLoss: e.valLoss, macroF1: e.macroF1, mIoU: e.mIoU, rareIoU: numberAt(perClass[rare], 'iou') ?? null, seconds: e.seconds, learningRate: e.learningRate }
    })
    const firstRare = profile.find((e) => typeof e.rareIoU === 'number' && e.rareIoU > 0)
    return {
      runId, status: row.status, backend: row.backend, device: row.device ?? null, startedAt: row.started_at, finishedAt: row.finished_at,
      config: parse(row.config), report: parse(row.report ?? null), epochs: profile, rareFirstEpoch: firstRare?.epoch ?? null,
    }
  } finally {
    db.close()
  }
}

/** Tile size, batch and model of the LabelLoop run, falling back to TrainConfig's defaults. */
function modelShape(config: unknown): ModelShape {
  const d = TrainConfig.parse({})
  const model = isObject(config) ? config.model : undefined
  const shape = {
    tileSize: numberAt(config, 'tileSize'), batchSize: numberAt(config, 'batchSize'),
    depth: numberAt(model, 'depth'), baseFilters: numberAt(model, 'baseFilters'), dropout: numberAt(model, 'dropout'),
  }
  const complete = Object.values(shape).every((v) => v !== undefined)
  return {
    tileSize: shape.tileSize ?? d.tileSize, batchSize: shape.batchSize ?? d.batchSize, depth: shape.depth ?? d.model.depth,
    baseFilters: shape.baseFilters ?? d.model.baseFilters, dropout: shape.dropout ?? d.model.dropout, from: complete ? 'labelloop-run' : 'defaults',
  }
}

/** Copies a project file (and a WAL left beside it, if any) so the eval import never touches the trained project. */
function copyProject(from: string, to: string): void {
  for (const suffix of ['', '-wal']) {
    rmSync(to + suffix, { force: true })
    if (existsSync(from + suffix)) copyFileSync(from + suffix, to + suffix)
  }
}

interface Options {
  minutes: number
  seed: number
  threads: number
  python: string
  acceptAbove: number
}

const cli = (...args: string[]): string[] => [existsSync(NODE22) ? NODE22 : process.execPath, CLI, ...args, '--json']
const SHORT = 300

/** Where a variant's project lives in the seed folder. */
const projectOf = (dir: string, variant: Variant): string => join(dir, `project-${variant}`, 'train.labelloop')

/**
 * Per class, what the round's accepted pseudo-labels kept (share of the unlabeled pixels) and how often
 * that was right against the true masks (unlabeled/truth; null where no truth or nothing kept).
 */
function pseudoQuality(project: string, roundId: number, truthDir: string, classes: number): Json {
  const db = new Database(project, { readonly: true, fileMustExist: true })
  try {
    const round = db.prepare('SELECT params FROM rounds WHERE id = ?').get(roundId) as { params: string } | undefined
    const rows = db.prepare("SELECT p.mask_png AS png, p.status, i.name FROM pseudo_labels p JOIN images i ON i.id = p.image_id WHERE p.round_id = ?").all(roundId) as { png: Buffer; status: string; name: string }[]
    const kept = new Array<number>(classes).fill(0)
    const right = new Array<number>(classes).fill(0)
    const judged = new Array<number>(classes).fill(0)
    let pixels = 0
    let withTruth = 0
    for (const r of rows.filter((x) => x.status === 'accepted')) {
      const mask = decodeMaskPng(r.png, r.name).data
      const truthFile = join(truthDir, `${r.name.replace(/\.[^.]+$/, '')}.png`)
      const truth = existsSync(truthFile) ? decodeMaskPng(readFileSync(truthFile), truthFile).data : null
      if (truth) withTruth++
      pixels += mask.length
      for (let p = 0; p < mask.length; p++) {
        const c = mask[p]
        if (c >= classes) continue
        kept[c]++
        if (truth && truth[p] < classes) {
          judged[c]++
          if (truth[p] === c) right[c]++
        }
      }
    }
    return {
      roundId, params: round ? (JSON.parse(round.params) as unknown) : null, images: rows.length, accepted: rows.filter((x) => x.status === 'accepted').length, imagesWithTruth: withTruth,
      keptShare: kept.map((k) => (pixels > 0 ? k / pixels : 0)), precision: judged.map((j, c) => (j > 0 ? right[c] / j : null)),
    }
  } finally {
    db.close()
  }
}

/** Trains a variant's project, saves its run, and scores it on a copy holding the eval images. Returns the run's config. */
function trainAndEval(variant: Variant, project: string, trainArgs: string[], split: SplitInfo, setDir: string, dir: string, steps: StepRecord[], o: Options): unknown {
  const name = (s: string): string => `labelloop-${variant}-${s}`
  const train = step(dir, steps, name('train'), cli('train', project, '--minutes', String(o.minutes), '--seed', String(o.seed), ...trainArgs), o.minutes * 60 * 4 + 900)
  const runId = numberAt(train, 'runId')
  if (runId === undefined) throw new Error('labelloop train --json printed no runId')
  const run = readRun(project, runId, split.rareClass.index)
  writeFileSync(join(dir, `${name('run')}.json`), `${JSON.stringify(run, null, 2)}\n`)
  const evalProject = join(dirname(project), 'eval.labelloop')
  copyProject(project, evalProject)
  step(dir, steps, name('eval-import'), cli('import', evalProject, join(setDir, 'eval', 'images')), SHORT)
  const scored = step(dir, steps, name('eval'), cli('eval', evalProject, '--masks', join(setDir, 'eval', 'masks')), 1800)
  const images = numberAt(scored, 'images')
  if (images !== split.eval.length) console.error(`  warning: ${variant} eval scored ${images ?? '?'} images, the split has ${split.eval.length}`)
  return isObject(train) && isObject(train.config) ? train.config : run.config
}

/** Part 1, one variant: LabelLoop through its CLI. Returns the trained run's config. */
function runVariant(variant: Variant, split: SplitInfo, setDir: string, dir: string, steps: StepRecord[], o: Options): unknown {
  const project = projectOf(dir, variant)
  const name = (s: string): string => `labelloop-${variant}-${s}`
  mkdirSync(dirname(project), { recursive: true })
  if (variant === 'round') {
    const teacher = projectOf(dir, 'labeled')
    if (!existsSync(teacher)) throw new Error(`the round variant starts from the labeled variant's project, and ${teacher} is missing: run --variants labeled,round`)
    copyProject(teacher, project)
    step(dir, steps, name('import-unlabeled'), cli('import', project, join(setDir, 'unlabeled', 'images')), SHORT)
    const predicted = step(dir, steps, name('predict'), cli('predict', project, '--round'), 1800)
    const roundId = numberAt(predicted, 'roundId')
    if (roundId === undefined) throw new Error('labelloop predict --round --json printed no roundId')
    step(dir, steps, name('accept'), cli('review', project, '--accept-above', String(o.acceptAbove), '--round', String(roundId)), SHORT)
    const quality = pseudoQuality(project, roundId, join(setDir, 'unlabeled', 'truth'), split.classes.length)
    writeFileSync(join(dir, `${name('pseudo')}.json`), `${JSON.stringify(quality, null, 2)}\n`)
    // Only the offline round: no consistency training on whatever the round left unlabeled.
    return trainAndEval(variant, project, ['--no-semi'], split, setDir, dir, steps, o)
  }
  step(dir, steps, name('new'), cli('new', project, '--classes', split.classes.join(',')), SHORT)
  step(dir, steps, name('import'), cli('import', project, join(setDir, 'labeled', 'images'), '--masks', join(setDir, 'labeled', 'masks')), SHORT)
  if (variant === 'unlabeled') step(dir, steps, name('import-unlabeled'), cli('import', project, join(setDir, 'unlabeled', 'images')), SHORT)
  // labeled: the project holds no unlabeled image, so no run could train semi-supervised on it.
  // unlabeled: --semi (consistency training is off by default since these measurements).
  return trainAndEval(variant, project, variant === 'unlabeled' ? ['--semi'] : [], split, setDir, dir, steps, o)
}

/** Part 2: the torch recipes with the LabelLoop run's shape. */
function runTorch(setDir: string, dir: string, steps: StepRecord[], shape: ModelShape, recipes: readonly string[], o: Options): void {
  for (const recipe of recipes) {
    const argv = [
      o.python, TORCH, '--data', setDir, '--recipe', recipe, '--minutes', String(o.minutes), '--seed', String(o.seed), '--threads', String(o.threads),
      '--size', String(shape.tileSize), '--batch', String(shape.batchSize), '--depth', String(shape.depth), '--base', String(shape.baseFilters), '--dropout', String(shape.dropout),
    ]
    try {
      step(dir, steps, `torch-${recipe}`, argv, o.minutes * 60 * 2 + 900, { PYTHONDONTWRITEBYTECODE: '1' })
    } catch (err) {
      console.error(`  ${(err as Error).message}`)
    }
  }
}

/** Commit and dirty files of the working tree the run measured (other engineers edit it concurrently). */
function environment(): Json {
  const git = (...args: string[]): string => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout.trim()
  const node = spawnSync(existsSync(NODE22) ? NODE22 : process.execPath, ['--version'], { encoding: 'utf8' }).stdout.trim()
  return { startedAt: new Date().toISOString(), node, cores: cpus().length, commit: git('rev-parse', 'HEAD'), dirty: git('status', '--porcelain', '--untracked-files=no').split('\n').filter(Boolean) }
}

/** Step and file names of the one-variant layout before --variants (labelloop-train.json, project/ ...). */
const LEGACY = /^(labelloop-(new|import|import-unlabeled|train|run|eval-import|eval)(\.json|\.log)?|project)$/

/**
 * Clears what this invocation will rerun in a seed folder: everything for --only all, else only that
 * part's files: the torch recipes' for --only torch (so it reuses the LabelLoop runs there), the listed
 * variants' (and the old one-variant layout's) for --only labelloop. Returns the kept step records.
 */
function freshSeedDir(dir: string, only: string, variants: readonly Variant[]): StepRecord[] {
  if (only === 'all') rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const rerun = (name: string): boolean =>
    only === 'torch' ? name.startsWith('torch-') : LEGACY.test(name) || variants.some((v) => name.startsWith(`labelloop-${v}-`) || name === `project-${v}`)
  for (const f of readdirSync(dir)) if (rerun(f)) rmSync(join(dir, f), { recursive: true, force: true })
  const file = join(dir, 'steps.json')
  const kept = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as StepRecord[]) : []
  return kept.filter((s) => !rerun(s.name))
}

/** The config of a LabelLoop run already in the seed folder (labeled first; for --only torch), or null. */
function previousConfig(dir: string): unknown {
  for (const f of [...VARIANTS.map((v) => `labelloop-${v}-run.json`), 'labelloop-run.json']) {
    const file = join(dir, f)
    if (!existsSync(file)) continue
    const run: unknown = JSON.parse(readFileSync(file, 'utf8'))
    if (isObject(run) && isObject(run.config)) return run.config
  }
  return null
}

function list(v: string): string[] {
  return v.split(/[\s,]+/).filter(Boolean)
}

function main(): void {
  const { values } = parseArgs({
    options: {
      sets: { type: 'string', default: 'isbi2012-membrane,dubai-aerial' },
      seeds: { type: 'string', default: '1,2,3' },
      minutes: { type: 'string', default: '5' },
      recipes: { type: 'string', default: RECIPES.join(',') },
      variants: { type: 'string', default: 'labeled,unlabeled' },
      'accept-above': { type: 'string', default: '0' },
      only: { type: 'string', default: 'all' },
      threads: { type: 'string', default: '2' },
      python: { type: 'string', default: '/usr/bin/python3' },
      data: { type: 'string', default: join(ROOT, 'bench', '.out', 'quality-data') },
      out: { type: 'string', default: join(ROOT, 'bench', '.out', 'quality-compare') },
    },
  })
  const recipes = list(values.recipes)
  const unknown = recipes.filter((r) => !(RECIPES as readonly string[]).includes(r))
  if (unknown.length > 0) throw new Error(`unknown recipe(s) ${unknown.join(', ')}; known: ${RECIPES.join(', ')}`)
  if (!['all', 'labelloop', 'torch'].includes(values.only)) throw new Error('--only must be all, labelloop or torch')
  const given = list(values.variants)
  const badVariants = given.filter((v) => !(VARIANTS as readonly string[]).includes(v))
  if (badVariants.length > 0 || given.length === 0) throw new Error(`--variants: unknown or none (${badVariants.join(', ')}); known: ${VARIANTS.join(', ')}`)
  const variants = VARIANTS.filter((v) => given.includes(v))
  const acceptAbove = Number(values['accept-above'])
  if (!(acceptAbove >= 0 && acceptAbove <= 1)) throw new Error(`--accept-above must be in [0, 1], got ${values['accept-above']}`)
  const minutes = Number(values.minutes)
  if (!(minutes > 0)) throw new Error(`--minutes must be a positive number, got ${values.minutes}`)
  const out = resolve(values.out)
  mkdirSync(out, { recursive: true })
  writeFileSync(join(out, 'env.json'), `${JSON.stringify({ ...environment(), argv: process.argv.slice(2) }, null, 2)}\n`)
  let failures = 0
  for (const set of list(values.sets)) {
    const setDir = join(resolve(values.data), set)
    // unlabeled/truth (the round's pseudo-label precision) came after the first splits: rebuild those (same rule, same files).
    if (!existsSync(join(setDir, 'split.json')) || !existsSync(join(setDir, 'unlabeled', 'truth'))) prepareSet(set, join(ROOT, '..', 'shared', 'data'), resolve(values.data))
    const split = JSON.parse(readFileSync(join(setDir, 'split.json'), 'utf8')) as SplitInfo
    mkdirSync(join(out, set), { recursive: true })
    copyFileSync(join(setDir, 'split.json'), join(out, set, 'split.json'))
    for (const seedText of list(values.seeds)) {
      const o: Options = { minutes, seed: Number(seedText), threads: Number(values.threads), python: values.python, acceptAbove }
      const dir = join(out, set, `seed${o.seed}`)
      const steps = freshSeedDir(dir, values.only, variants)
      let trained: unknown = null
      if (values.only !== 'torch') {
        for (const variant of variants) {
          try {
            const config = runVariant(variant, split, setDir, dir, steps, o)
            trained ??= config
          } catch (err) {
            failures++
            console.error(`  ${set} seed ${o.seed}: LabelLoop ${variant}: ${(err as Error).message}`)
          }
        }
      }
      // The torch runs copy the first variant that trained (labeled), else a run already in the folder, else the defaults.
      const shape = modelShape(trained ?? previousConfig(dir))
      writeFileSync(join(dir, 'shape.json'), `${JSON.stringify(shape, null, 2)}\n`)
      if (values.only !== 'labelloop') runTorch(setDir, dir, steps, shape, recipes, o)
      failures += steps.filter((s) => s.exitCode !== 0 && s.name.startsWith('torch-')).length
    }
  }
  process.exitCode = failures > 0 ? 1 : 0
}

main()
