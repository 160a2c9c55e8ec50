/**
 * `labelloop pretrain <project> [options]`: self-supervised (SimCLR) pretraining of the U-Net encoder
 * on every image of the project, labeled or not, in the trainer process. Progress on stderr, the run's
 * summary on stdout (one JSON object with --json). Training runs then start from it with
 * `labelloop train --init pretrained`. Ctrl+C cancels (nothing is stored).
 */
import { Option, type Command } from 'commander'
import { AppError, BackendName, type EventPayload, type PretrainConfigInput, type PretrainSummary } from '../../../core/contract'
import { EXIT, type CommandContext } from '../output'
import { cancelRunOnInterrupt, runFinished, runProjectJob } from './project-job'

interface PretrainOptions {
  epochs?: number
  minutes?: number
  size?: number
  batch?: number
  steps?: number
  temperature?: number
  lr?: number
  depth?: number
  base?: number
  backend?: BackendName
  seed?: number
  json?: boolean
}

const PROGRESS_INTERVAL_MS = 1000

function num(name: string): (v: string) => number {
  return (v) => {
    const n = Number(v)
    if (!Number.isFinite(n)) throw new AppError('INVALID_INPUT', `${name} must be a number, got "${v}"`)
    return n
  }
}

/** The options given on the command line as a pretraining config (left-out options take the defaults). */
export function pretrainPatch(o: PretrainOptions): PretrainConfigInput {
  const patch: PretrainConfigInput = {}
  if (o.epochs !== undefined) patch.epochs = o.epochs
  if (o.minutes !== undefined) patch.minutes = o.minutes
  if (o.size !== undefined) patch.tileSize = o.size
  if (o.batch !== undefined) patch.batchSize = o.batch
  if (o.steps !== undefined) patch.stepsPerEpoch = o.steps
  if (o.temperature !== undefined) patch.temperature = o.temperature
  if (o.lr !== undefined) patch.learningRate = o.lr
  if (o.backend !== undefined) patch.backend = o.backend
  if (o.seed !== undefined) patch.seed = o.seed
  if (o.depth !== undefined || o.base !== undefined) patch.model = { depth: o.depth, baseFilters: o.base }
  return patch
}

async function runPretrain(ctx: CommandContext, file: string, opts: PretrainOptions): Promise<number> {
  return runProjectJob(ctx, file, async (j) => {
    let runId: number | null = null
    let last = 0
    j.onEvent((name, payload) => {
      if (name !== 'train:progress') return
      const p = payload as EventPayload<'train:progress'>
      const now = Date.now()
      if (p.runId !== runId || p.phase !== 'training' || (now - last < PROGRESS_INTERVAL_MS && p.batch !== p.batches)) return
      last = now
      const speed = p.imagesPerSecond === null ? '' : `, ${p.imagesPerSecond.toFixed(1)} tiles/s`
      ctx.out.progress(`epoch ${p.epoch}/${p.epochs} step ${p.batch}/${p.batches}: NT-Xent ${p.loss?.toFixed(4) ?? '?'}${speed}`)
    })
    const finished = runFinished(j, () => runId)
    cancelRunOnInterrupt(ctx, j, () => runId, 'pretrain: cancelling within a step')
    runId = ((await j.host.dispatch('pretrain:start', pretrainPatch(opts))) as { runId: number }).runId
    const started = (await j.host.dispatch('pretrain:latest', {})) as PretrainSummary
    const c = started.config
    ctx.out.progress(`pretraining run ${runId}: ${c.epochs} epochs, tiles ${c.tileSize}, batch ${c.batchSize} (×2 views), temperature ${c.temperature}, U-Net depth ${c.model.depth} base ${c.model.baseFilters}`)
    await finished
    const run = (await j.host.dispatch('pretrain:latest', {})) as PretrainSummary
    if (run.status === 'failed') throw new AppError('INTERNAL', `pretraining run ${runId} failed: ${run.error ?? 'unknown reason'}`)
    const loss = run.losses.length > 0 ? `NT-Xent ${run.losses[0].toFixed(3)} → ${run.losses[run.losses.length - 1].toFixed(3)}` : 'no epoch completed'
    ctx.out.result(run, `pretraining run ${runId} ${run.status} on ${run.backend ?? '?'} in ${run.seconds.toFixed(0)} s over ${run.images} images: ${loss}`)
    return run.status === 'cancelled' ? EXIT.interrupted : EXIT.ok
  })
}

/** Registers `labelloop pretrain`. */
export function registerPretrain(program: Command, ctx: (json: boolean) => CommandContext, done: (code: number) => void): void {
  program
    .command('pretrain')
    .description('pretrain the U-Net encoder on every image, labeled or not (SimCLR); then train with --init pretrained')
    .argument('<project>', 'project file')
    .option('--epochs <n>', 'epochs (default 20)', num('--epochs'))
    .option('--minutes <m>', 'time budget: stop after the epoch that crosses it', num('--minutes'))
    .option('--size <px>', 'tile size, a multiple of 32 (default 128)', num('--size'))
    .option('--batch <n>', 'tiles per batch, each giving two views (default 16)', num('--batch'))
    .option('--steps <n>', 'steps per epoch (default: tiles in the project / batch)', num('--steps'))
    .option('--temperature <t>', 'NT-Xent temperature (default 0.5)', num('--temperature'))
    .option('--lr <rate>', 'learning rate (default 0.001)', num('--lr'))
    .option('--depth <n>', 'U-Net depth 3..5 (default 4; train with the same)', num('--depth'))
    .option('--base <n>', 'U-Net base filters 8..64 (default 16; train with the same)', num('--base'))
    .addOption(new Option('--backend <name>', 'tfjs backend').choices(BackendName.options))
    .option('--seed <n>', 'random seed', num('--seed'))
    .option('--json', 'print the run summary as one JSON object on stdout')
    .action(async (file: string, opts: PretrainOptions) => done(await runPretrain(ctx(opts.json === true), file, opts)))
}
