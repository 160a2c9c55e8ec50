/**
 * `labelloop train <project> [options]`: trains a U-Net in the trainer process. Progress on stderr,
 * the final metrics on stdout (one JSON object with --json). Without options the preset recommended
 * by the project's class balance is used. Ctrl+C cancels (checkpoints already saved stay).
 */
import { Option, type Command } from 'commander'
import { AppError, BackendName, ClassWeighting, LossName, Preset, StopMetric, type EpochMetrics, type EventPayload, type RunReport, type RunSummary, type SemiReport, type TrainConfigPatch } from '../../../core/contract'
import { EXIT, type CommandContext } from '../output'
import { cancelRunOnInterrupt, runFinished, runProjectJob } from './project-job'

interface TrainOptions {
  epochs?: number
  minutes?: number
  loss?: LossName
  classWeights?: ClassWeighting
  size?: number
  batch?: number
  backend?: BackendName
  workers?: number
  seed?: number
  depth?: number
  base?: number
  preset?: Preset
  metric?: StopMetric
  validation?: 'auto' | 'images' | 'regions'
  ema?: boolean
  calibrate?: boolean
  semi?: boolean
  resume?: number
  sampling?: 'uniform' | 'class-aware'
  rareCrop?: number
  copyPaste?: number
  augment?: 'none' | 'light' | 'strong'
  init?: string
  pixelContrast?: number
  json?: boolean
}

const PROGRESS_INTERVAL_MS = 1000

function int(name: string): (v: string) => number {
  return (v) => {
    const n = Number(v)
    if (!Number.isFinite(n)) throw new AppError('INVALID_INPUT', `${name} must be a number, got "${v}"`)
    return n
  }
}

/** `--init`: scratch, pretrained (the project's newest pretrained encoder) or a run id. */
export function initOption(v: string): TrainConfigPatch['init'] {
  if (v === 'scratch' || v === 'pretrained') return v
  const id = Number(v)
  if (!Number.isInteger(id) || id < 1) throw new AppError('INVALID_INPUT', `--init must be scratch, pretrained or a run id, got "${v}"`)
  return { runId: id }
}

/** The options given on the command line as a TrainConfig patch (left-out options stay unset). */
export function trainPatch(o: TrainOptions): TrainConfigPatch {
  const patch: TrainConfigPatch = {}
  if (o.preset !== undefined) patch.preset = o.preset
  if (o.epochs !== undefined) patch.epochs = o.epochs
  if (o.minutes !== undefined) patch.minutes = o.minutes
  if (o.size !== undefined) patch.tileSize = o.size
  if (o.batch !== undefined) patch.batchSize = o.batch
  if (o.backend !== undefined) patch.backend = o.backend
  if (o.workers !== undefined) patch.workers = o.workers
  if (o.seed !== undefined) patch.seed = o.seed
  if (o.depth !== undefined || o.base !== undefined) patch.model = { depth: o.depth, baseFilters: o.base }
  if (o.loss !== undefined || o.classWeights !== undefined) patch.loss = { name: o.loss, classWeights: o.classWeights }
  if (o.pixelContrast !== undefined) patch.loss = { ...patch.loss, pixelContrast: o.pixelContrast }
  if (o.sampling !== undefined) patch.sampling = o.sampling
  if (o.rareCrop !== undefined) patch.rareCrop = o.rareCrop
  if (o.copyPaste !== undefined) patch.copyPaste = o.copyPaste
  if (o.augment !== undefined) patch.augment = o.augment
  if (o.init !== undefined) patch.init = initOption(o.init)
  if (o.metric !== undefined) patch.stopMetric = o.metric
  if (o.validation !== undefined) patch.validation = o.validation
  if (o.ema === false) patch.ema = false
  if (o.calibrate === false) patch.calibrate = false
  if (o.semi !== undefined) patch.semi = o.semi
  return patch
}

function clock(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '?'
  const s = Math.round(seconds)
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`
}

function epochLine(m: EpochMetrics, epochs: number | null): string {
  const val = m.valLoss === null ? '' : `, val loss ${m.valLoss.toFixed(4)}`
  return `epoch ${m.epoch}${epochs === null ? '' : `/${epochs}`}: train loss ${m.trainLoss.toFixed(4)}${val}, mIoU ${m.mIoU.toFixed(3)}, macro-F1 ${m.macroF1.toFixed(3)} (${m.seconds.toFixed(1)} s)`
}

/** The result printed at the end: the run's outcome and its final and best metrics. */
export function trainResult(run: RunSummary): Record<string, unknown> {
  const last = run.epochs[run.epochs.length - 1] ?? null
  return {
    runId: run.id, status: run.status, preset: run.config.preset, backend: run.backend, device: run.device, best: run.best,
    metrics: last, secondsPerEpoch: run.epochs.map((e) => e.seconds), error: run.error, active: run.active, report: run.report,
  }
}

async function runTrain(ctx: CommandContext, file: string, opts: TrainOptions): Promise<number> {
  return runProjectJob(ctx, file, async (j) => {
    let runId: number | null = null
    let totalEpochs: number | null = 0
    let last = 0
    j.onEvent((name, payload) => {
      if (name === 'train:progress') {
        const p = payload as EventPayload<'train:progress'>
        const now = Date.now()
        // The race's standings after each rung come as a validating message.
        if (p.runId === runId && p.phase === 'validating' && p.epoch === 0 && p.message) ctx.out.progress(p.message)
        if (p.runId !== runId || p.phase !== 'training' || now - last < PROGRESS_INTERVAL_MS) return
        last = now
        const speed = p.imagesPerSecond === null ? '' : `, ${p.imagesPerSecond.toFixed(1)} tiles/s`
        const where = p.epoch === 0 ? (p.message ?? 'recipe race') : `epoch ${p.epoch}${totalEpochs === null ? '' : `/${p.epochs}`}`
        ctx.out.progress(`${where} batch ${p.batch}/${p.batches}: loss ${p.loss?.toFixed(4) ?? '?'}${speed}, eta ${clock(p.etaSeconds)}`)
      } else if (name === 'train:epoch') {
        const e = payload as EventPayload<'train:epoch'>
        if (e.runId === runId) ctx.out.progress(epochLine(e.metrics, totalEpochs))
      }
    })
    const finished = runFinished(j, () => runId)
    cancelRunOnInterrupt(ctx, j, () => runId, 'train: cancelling within a batch; saved checkpoints stay')
    const started = (opts.resume !== undefined
      ? await j.host.dispatch('train:resume', { runId: opts.resume })
      : await j.host.dispatch('train:start', trainPatch(opts))) as { runId: number }
    runId = started.runId
    const run = (await j.host.dispatch('runs:get', { id: runId })) as RunSummary
    const c = run.config
    totalEpochs = c.minutes !== null ? null : c.epochs
    const recipe = c.preset === 'auto' ? 'recipes raced on validation' : `loss ${c.loss.name} (${c.loss.classWeights} weights)`
    const budget = c.minutes !== null ? `${c.minutes} minutes` : `${c.epochs} epochs`
    ctx.out.progress(`run ${runId}: preset ${c.preset ?? 'none'}, ${recipe}, ${budget}, tiles ${c.tileSize}, batch ${c.batchSize}, U-Net depth ${c.model.depth} base ${c.model.baseFilters}`)
    const status = await finished
    const final = status.run ?? ((await j.host.dispatch('runs:get', { id: runId })) as RunSummary)
    if (final.status === 'failed') throw new AppError('INTERNAL', `training run ${runId} failed: ${final.error ?? 'unknown reason'}`)
    const best = final.best ? `best ${final.best.metric} ${final.best.value.toFixed(3)} at epoch ${final.best.epoch}` : 'no best epoch'
    if (final.report) for (const line of reportLines(final.report)) ctx.out.progress(line)
    if (final.status === 'cancelled' && final.active && final.best) {
      ctx.out.progress(`run ${runId} was cancelled; the project had no model, so its best checkpoint (epoch ${final.best.epoch}) is now the active model`)
    }
    ctx.out.result(trainResult(final), `run ${runId} ${final.status} on ${final.backend ?? '?'} (${final.device ?? '?'}): ${best}`)
    return final.status === 'cancelled' ? EXIT.interrupted : EXIT.ok
  })
}

/** Consistency training in one line: unlabeled tiles seen, and per class the threshold and share of confident pixels. */
export function semiLine(s: SemiReport): string {
  const perClass = s.thresholds.map((t, c) => `class ${c} ≥ ${t.toFixed(2)}: ${((s.confidentShare[c] ?? 0) * 100).toFixed(1)} %`).join(', ')
  const head = `consistency training on ${s.unlabeledImages} unlabeled images: ${s.tilesSeen} tiles in ${s.steps} steps`
  return `${head}; confident pixels ${perClass}${s.note ? ` (${s.note})` : ''}`
}

/** The run's report in a few lines: the race and why its winner won, why it stopped, where the time went. */
export function reportLines(r: RunReport): string[] {
  const lines: string[] = []
  if (r.race) {
    const standings = r.race.candidates.map((c) => `${c.key} ${c.scores.map((v) => v.toFixed(3)).join('→')}${c.droppedAfter === null ? ' (winner)' : ''}`).join('; ')
    lines.push(`recipe race (${r.race.metric}, ${r.race.steps} steps, ${Math.round(r.race.seconds)} s): ${standings}`)
    lines.push(`winner ${r.race.winner}: ${r.race.reason}`)
  }
  if (r.validation) lines.push(`validation: ${r.validation.detail}; ${Math.round(r.validationShare * 100)} % of the time spent validating`)
  if (r.calibration) lines.push(`decision biases ${r.calibration.bias.map((b) => b.toFixed(2)).join(', ')}: ${r.calibration.metric} ${r.calibration.before.toFixed(3)} → ${r.calibration.after.toFixed(3)} on validation`)
  if (r.ema) lines.push(r.ema.used ? `kept the moving average of the weights (${r.ema.emaScore?.toFixed(3) ?? '?'} against ${r.ema.rawScore?.toFixed(3) ?? '?'} for the last weights)` : `kept the last weights (${r.ema.rawScore?.toFixed(3) ?? '?'} against ${r.ema.emaScore?.toFixed(3) ?? '?'} for the moving average)`)
  if (r.semi) lines.push(semiLine(r.semi))
  if (r.stopDetail) lines.push(`stopped after ${r.steps} optimiser steps: ${r.stopDetail}`)
  return lines
}

export function registerTrain(program: Command, ctx: (json: boolean) => CommandContext, done: (code: number) => void): void {
  program
    .command('train')
    .description("train a segmentation model on the project's labeled images (preset auto, which races recipes on validation, when no recipe option is given)")
    .argument('<project>', 'project file')
    .option('--epochs <n>', 'epochs (default 30)', int('--epochs'))
    .option('--minutes <m>', 'time budget: train for this long (the schedule runs over it; --epochs is then ignored)', int('--minutes'))
    .addOption(new Option('--loss <name>', 'loss').choices(LossName.options))
    .addOption(new Option('--class-weights <scheme>', 'class weights').choices(ClassWeighting.options))
    .addOption(new Option('--preset <name>', 'auto (race recipes on validation; the default) or a fixed preset').choices(Preset.options))
    .addOption(new Option('--metric <name>', 'what "best" means and the race ranks by (default macroF1)').choices(StopMetric.options))
    .addOption(new Option('--validation <mode>', 'hold out whole images or a band of every image (default auto: regions under 12 labeled images)').choices(['auto', 'images', 'regions']))
    .option('--no-ema', 'validate and keep the last weights, not their moving average')
    .option('--no-calibrate', 'no per-class decision biases fitted on validation')
    .option('--semi', "consistency training on the project's unlabeled images as well (off by default: see bench/README, unlabeled images)")
    .option('--no-semi', 'no consistency training (the default)')
    .option('--size <px>', 'tile size, a multiple of 32 (default 256)', int('--size'))
    .option('--batch <n>', 'tiles per batch (default 8)', int('--batch'))
    .addOption(new Option('--backend <name>', 'tfjs backend').choices(BackendName.options))
    .option('--workers <n>', 'threads training on shares of each batch on CPU backends (default 0: one per core)', int('--workers'))
    .option('--seed <n>', 'random seed (same seed, same backend: same run)', int('--seed'))
    .option('--depth <n>', 'U-Net depth 3..5 (default 4)', int('--depth'))
    .option('--base <n>', 'U-Net base filters 8..64 (default 16)', int('--base'))
    .addOption(new Option('--sampling <mode>', 'image sampling: uniform, or weighted by rare-class content').choices(['uniform', 'class-aware']))
    .option('--rare-crop <p>', 'share of tiles centred on a rare-class pixel, 0..1', int('--rare-crop'))
    .option('--copy-paste <p>', 'probability that a tile receives pasted rare-class objects, 0..1', int('--copy-paste'))
    .addOption(new Option('--augment <level>', 'augmentation preset').choices(['none', 'light', 'strong']))
    .option('--pixel-contrast <weight>', 'weight of the pixel-contrastive auxiliary loss on labeled pixels (default 0: off)', int('--pixel-contrast'))
    .option('--init <from>', 'initial weights: scratch (default), pretrained (labelloop pretrain) or a run id')
    .option('--resume <runId>', 'continue a stopped run from its last checkpoint', int('--resume'))
    .option('--json', 'print the final metrics as one JSON object on stdout')
    .action(async (file: string, opts: TrainOptions) => done(await runTrain(ctx(opts.json === true), file, opts)))
}
