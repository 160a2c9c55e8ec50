/**
 * `labelloop suggest <project> [--limit N] [--require-model] [--json]`: "Label next", the unlabeled images
 * and unlabeled regions of partly labeled images a label would help most (suggest:run), best first.
 * `--json` prints `{ mode, runId, note, candidates, items: [{ rank, imageId, imageName, width, height,
 * region, score, uncertainty, className, uncertainShare, reason }], cancelled }` (the app's list without
 * the gallery's image summaries). Ctrl+C stops reading and prints what was ranked so far.
 */
import { randomUUID } from 'node:crypto'
import { InvalidArgumentError, type Command } from 'commander'
import type { EventPayload, SuggestResult, Suggestion } from '../../../core/contract'
import { EXIT, type CommandContext } from '../output'
import { runProjectJob } from './project-job'

interface SuggestOptions {
  limit: number
  requireModel?: boolean
  json?: boolean
}

export const DEFAULT_LIMIT = 20

function parseLimit(value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 5000) throw new InvalidArgumentError('the limit must be a whole number from 1 to 5000')
  return n
}

function where(s: Suggestion): string {
  return s.region ? `region ${s.region.x},${s.region.y} ${s.region.width}×${s.region.height}` : 'whole image'
}

/** The human listing: one line per suggestion, then the note. */
export function suggestTable(r: SuggestResult): string {
  const how = r.mode === 'model' ? `by the active model's rare-class doubt (run ${r.runId})` : 'for diversity only'
  const head = `Label next, ranked ${how}: ${r.items.length} of ${r.candidates} candidate${r.candidates === 1 ? '' : 's'}${r.cancelled ? ' (cancelled)' : ''}`
  const nameWidth = Math.min(40, Math.max(5, ...r.items.map((s) => s.imageName.length)))
  const whereWidth = Math.max(11, ...r.items.map((s) => where(s).length))
  const rows = r.items.map((s) => `${String(s.rank).padStart(4)}  ${s.imageName.padEnd(nameWidth)}  ${where(s).padEnd(whereWidth)}  ${s.score.toFixed(3)}  ${s.reason}`)
  return [head, ...rows, ...(r.note ? [`note: ${r.note}`] : [])].join('\n')
}

async function runSuggest(ctx: CommandContext, file: string, opts: SuggestOptions): Promise<number> {
  return runProjectJob(ctx, file, async (j) => {
    const jobId = `cli-${randomUUID()}`
    j.onEvent((name, payload) => {
      const p = payload as EventPayload<'suggest:progress'>
      if (name === 'suggest:progress' && p.jobId === jobId && p.image) ctx.out.progress(`suggest: ${p.done + 1}/${p.total} ${p.image}`)
    })
    j.onInterrupt(() => {
      ctx.out.progress('suggest: cancelling; ranking what was read so far')
      j.host.dispatch('suggest:cancel', { jobId }).catch(() => undefined)
    })
    const r = (await j.host.dispatch('suggest:run', { jobId, limit: opts.limit, requireModel: opts.requireModel === true })) as SuggestResult
    const items = r.items.map(({ image: _image, ...rest }) => rest)
    ctx.out.result({ ...r, items }, suggestTable(r))
    return r.cancelled ? EXIT.interrupted : EXIT.ok
  })
}

export function registerSuggest(program: Command, ctx: (json: boolean) => CommandContext, done: (code: number) => void): void {
  program
    .command('suggest')
    .description('"Label next": the unlabeled images and regions a label would help most (rare-class doubt of the active model, diversified)')
    .argument('<project>', 'project file')
    .option('--limit <n>', `how many suggestions (1–5000, default ${DEFAULT_LIMIT})`, parseLimit, DEFAULT_LIMIT)
    .option('--require-model', 'fail instead of ranking for diversity only when there is no trained model')
    .option('--json', 'print the ranking as one JSON object on stdout')
    .action(async (file: string, opts: SuggestOptions) => done(await runSuggest(ctx(opts.json === true), file, opts)))
}
