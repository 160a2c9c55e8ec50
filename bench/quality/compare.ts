/**
 * LabelLoop against PyTorch on the real sets (issue 15, part 3). For each set and seed, strictly one
 * process at a time (the machine's cores are the budget being compared):
 *
 *  1. LabelLoop as a new user runs it, through its own CLI on Node 22: `new`, `import` of the labeled
 *     images with their masks (plus the unlabeled pool with --with-unlabeled), `train --minutes M --seed S
 *     --json` with no other option; then a copy of the project gets the eval images (no masks) and
 *     `eval --masks eval/masks --json` scores the active model on them.
 *  2. bench/quality/torch_baseline.py once per recipe, with the tile size, batch, depth, base filters and
 *     dropout the LabelLoop run actually used (its stored config), the same minutes, --threads threads.
 *
 * `uptime` is recorded before every process. Everything lands in <out>/<set>/seed<S>/: one JSON per step
 * (stdout), its stderr as .log, steps.json (command, load before, seconds, exit code) and labelloop-run.json
 * (the run's config, report and per-epoch profile read from the project file). compare-summary.ts makes
 * the tables. Run it through compare.sh, which puts Node 22 first on PATH.
 *
 *   tsx bench/quality/compare.ts [--sets isbi2012-membrane,dubai-aerial] [--seeds 1,2,3] [--minutes 5]
 *       [--recipes ce-rare-crop,ce-dice,weighted-ce,focal] [--with-unlabeled] [--only all|labelloop|torch]
 *       [--threads 2] [--python /usr/bin/python3] [--data bench/.out/quality-data] [--out bench/.out/quality-compare]
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import { TrainConfig } from '../../core/contract'
import { prepareSet, type SplitInfo } from './datasets'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const NODE22 = join(ROOT, 'node_modules', '.bin', 'node')
const CLI = join(ROOT, 'bin', 'labelloop.js')
const TORCH = join(ROOT, 'bench', 'quality', 'torch_baseline.py')
export const RECIPES = ['ce-rare-crop', 'ce-dice', 'weighted-ce', 'focal'] as const

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
  withUnlabeled: boolean
  threads: number
  python: string
}

/** Part 1: LabelLoop through its CLI. Returns the shape the torch runs must copy. */
function runLabelLoop(split: SplitInfo, setDir: string, dir: string, steps: StepRecord[], o: Options): ModelShape {
  const projectDir = join(dir, 'project')
  mkdirSync(projectDir, { recursive: true })
  const project = join(projectDir, 'train.labelloop')
  const evalProject = join(projectDir, 'eval.labelloop')
  const cli = (...args: string[]): string[] => [existsSync(NODE22) ? NODE22 : process.execPath, CLI, ...args, '--json']
  const short = 300
  step(dir, steps, 'labelloop-new', cli('new', project, '--classes', split.classes.join(',')), short)
  step(dir, steps, 'labelloop-import', cli('import', project, join(setDir, 'labeled', 'images'), '--masks', join(setDir, 'labeled', 'masks')), short)
  if (o.withUnlabeled) step(dir, steps, 'labelloop-import-unlabeled', cli('import', project, join(setDir, 'unlabeled', 'images')), short)
  const train = step(dir, steps, 'labelloop-train', cli('train', project, '--minutes', String(o.minutes), '--seed', String(o.seed)), o.minutes * 60 * 4 + 900)
  const runId = numberAt(train, 'runId')
  if (runId === undefined) throw new Error('labelloop train --json printed no runId')
  const run = readRun(project, runId, split.rareClass.index)
  const trainConfig = isObject(train) && isObject(train.config) ? train.config : run.config
  writeFileSync(join(dir, 'labelloop-run.json'), `${JSON.stringify(run, null, 2)}\n`)
  copyProject(project, evalProject)
  step(dir, steps, 'labelloop-eval-import', cli('import', evalProject, join(setDir, 'eval', 'images')), short)
  const scored = step(dir, steps, 'labelloop-eval', cli('eval', evalProject, '--masks', join(setDir, 'eval', 'masks')), 1800)
  const images = numberAt(scored, 'images')
  if (images !== split.eval.length) console.error(`  warning: eval scored ${images ?? '?'} images, the split has ${split.eval.length}`)
  return modelShape(trainConfig)
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

/**
 * Clears what this invocation will rerun in a seed folder: everything for --only all, else only that
 * part's files (so `--only torch` reuses the LabelLoop run already there). Returns the kept step records.
 */
function freshSeedDir(dir: string, only: string): StepRecord[] {
  if (only === 'all') rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const prefix = only === 'torch' ? 'torch-' : 'labelloop-'
  for (const f of existsSync(dir) ? readdirSync(dir) : []) if (f.startsWith(prefix) || (only === 'labelloop' && f === 'project')) rmSync(join(dir, f), { recursive: true, force: true })
  const file = join(dir, 'steps.json')
  const kept = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as StepRecord[]) : []
  return kept.filter((s) => !s.name.startsWith(prefix))
}

/** The config of a LabelLoop run already in the seed folder (for --only torch), or null. */
function previousConfig(dir: string): unknown {
  const file = join(dir, 'labelloop-run.json')
  if (!existsSync(file)) return null
  const run: unknown = JSON.parse(readFileSync(file, 'utf8'))
  return isObject(run) ? run.config : null
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
      'with-unlabeled': { type: 'boolean', default: false },
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
  const minutes = Number(values.minutes)
  if (!(minutes > 0)) throw new Error(`--minutes must be a positive number, got ${values.minutes}`)
  const out = resolve(values.out)
  mkdirSync(out, { recursive: true })
  writeFileSync(join(out, 'env.json'), `${JSON.stringify({ ...environment(), argv: process.argv.slice(2) }, null, 2)}\n`)
  let failures = 0
  for (const set of list(values.sets)) {
    const setDir = join(resolve(values.data), set)
    if (!existsSync(join(setDir, 'split.json'))) prepareSet(set, join(ROOT, '..', 'shared', 'data'), resolve(values.data))
    const split = JSON.parse(readFileSync(join(setDir, 'split.json'), 'utf8')) as SplitInfo
    mkdirSync(join(out, set), { recursive: true })
    copyFileSync(join(setDir, 'split.json'), join(out, set, 'split.json'))
    for (const seedText of list(values.seeds)) {
      const o: Options = { minutes, seed: Number(seedText), withUnlabeled: values['with-unlabeled'], threads: Number(values.threads), python: values.python }
      const dir = join(out, set, `seed${o.seed}`)
      const steps = freshSeedDir(dir, values.only)
      let shape = modelShape(previousConfig(dir))
      if (values.only !== 'torch') {
        try {
          shape = runLabelLoop(split, setDir, dir, steps, o)
        } catch (err) {
          failures++
          console.error(`  ${set} seed ${o.seed}: LabelLoop: ${(err as Error).message}; torch runs use TrainConfig's defaults`)
        }
      }
      writeFileSync(join(dir, 'shape.json'), `${JSON.stringify(shape, null, 2)}\n`)
      if (values.only !== 'labelloop') runTorch(setDir, dir, steps, shape, recipes, o)
      failures += steps.filter((s) => s.exitCode !== 0 && s.name.startsWith('torch-')).length
    }
  }
  process.exitCode = failures > 0 ? 1 : 0
}

main()
