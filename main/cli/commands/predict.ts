/**
 * `labelloop predict <project> [--images unlabeled|all] [--run N] [--json]`: predicted masks and
 * confidence maps of the active model, stored in the project as a new pseudo-label round. With
 * `--round [--no-tta] [--mc-dropout N] [--top-fraction F] [--floor F]` it is a review round (rounds:start):
 * the unlabeled images with flip TTA, class-balanced thresholds and review scores.
 */
import { randomUUID } from 'node:crypto'
import { Option, type Command } from 'commander'
import type { EventPayload, PredictResult } from '../../../core/contract'
import { EXIT, type CommandContext } from '../output'
import { runProjectJob } from './project-job'

interface PredictOptions {
  images?: 'unlabeled' | 'all'
  run?: string
  json?: boolean
  round?: boolean
  tta?: boolean
  mcDropout?: string
  topFraction?: string
  floor?: string
  precisionScaled?: boolean
}

/** The rounds:start options of `--round`; the contract's defaults for those not given. */
function roundInput(jobId: string, opts: PredictOptions): Record<string, unknown> {
  const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v))
  const given = { tta: opts.tta, mcDropout: num(opts.mcDropout), topFraction: num(opts.topFraction), floor: num(opts.floor), precisionScaled: opts.precisionScaled === false ? false : undefined, runId: num(opts.run) }
  return { jobId, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) }
}

async function runPredict(ctx: CommandContext, file: string, opts: PredictOptions): Promise<number> {
  return runProjectJob(ctx, file, async (j) => {
    const jobId = `cli-${randomUUID()}`
    j.onEvent((name, payload) => {
      const p = payload as EventPayload<'predict:progress'>
      if (name === 'predict:progress' && p.jobId === jobId && p.image) ctx.out.progress(`predict: ${p.done + 1}/${p.total} ${p.image}`)
    })
    j.onInterrupt(() => {
      ctx.out.progress('predict: cancelling; images already predicted stay')
      j.host.dispatch('predict:cancel', { jobId }).catch(() => undefined)
    })
    const input = { jobId, images: opts.images ?? 'unlabeled', ...(opts.run === undefined ? {} : { runId: Number(opts.run) }) }
    const r = (await (opts.round ? j.host.dispatch('rounds:start', roundInput(jobId, opts)) : j.host.dispatch('predict:start', input))) as PredictResult
    const conf = r.meanConfidence === null ? '' : `, mean confidence ${r.meanConfidence.toFixed(3)}`
    ctx.out.result(r, `round ${r.roundId}: ${r.images} image${r.images === 1 ? '' : 's'} predicted with run ${r.runId} (${r.status})${conf}`)
    return r.status === 'cancelled' ? EXIT.interrupted : EXIT.ok
  })
}

export function registerPredict(program: Command, ctx: (json: boolean) => CommandContext, done: (code: number) => void): void {
  program
    .command('predict')
    .description('predict masks and confidence maps with the active model into a new pseudo-label round')
    .argument('<project>', 'project file')
    .addOption(new Option('--images <which>', 'which images').choices(['unlabeled', 'all']).default('unlabeled'))
    .option('--run <id>', 'use this run instead of the active model')
    .option('--round', 'a pseudo-label review round of the unlabeled images (TTA, class-balanced thresholds, review scores)')
    .option('--no-tta', 'with --round: no flip test-time augmentation')
    .option('--mc-dropout <n>', 'with --round: Monte-Carlo dropout passes')
    .option('--top-fraction <f>', 'with --round: per class, the fraction of most confident pixels kept')
    .option('--floor <f>', 'with --round: the lowest confidence ever kept')
    .option('--no-precision-scaled', "with --round: do not raise each class's threshold by the model's validation precision of that class")
    .option('--json', 'print the result as one JSON object on stdout')
    .action(async (file: string, opts: PredictOptions) => done(await runPredict(ctx(opts.json === true), file, opts)))
}
