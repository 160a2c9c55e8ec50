/**
 * `labelloop review <project> --list [--round N] [--status S,...] [--class I] [--limit N] [--json]`: the
 * review queue, most useful first. `labelloop review <project> --accept-above <score> [--round N]`:
 * accepts every pending pseudo-label of the round (default: the newest) whose review score is at least
 * `score`. `--rollback <round>` takes a round back.
 */
import { resolve } from 'node:path'
import { InvalidArgumentError, type Command } from 'commander'
import type { Output, PseudoStatus } from '../../../core/contract'
import type { ServiceHost } from '../../services/host-types'
import { EXIT, type CommandContext } from '../output'
import { requireProjectFile } from './info'

interface ReviewOptions {
  list?: boolean
  acceptAbove?: number
  rollback?: string
  round?: string
  status?: string
  class?: string
  limit?: string
  json?: boolean
}

const STATUSES: readonly PseudoStatus[] = ['pending', 'accepted', 'rejected', 'edited']

function parseScore(value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !(n >= 0 && n <= 1)) throw new InvalidArgumentError('the score must be a number in [0, 1], e.g. 0.4')
  return n
}

function parseStatuses(value: string | undefined): PseudoStatus[] | undefined {
  if (value === undefined) return undefined
  const list = value.split(',').map((s) => s.trim())
  const bad = list.find((s) => !STATUSES.includes(s as PseudoStatus))
  if (bad !== undefined) throw new InvalidArgumentError(`unknown status "${bad}"; use ${STATUSES.join(', ')}`)
  return list as PseudoStatus[]
}

/** The newest round's id, or the one given; NOT_FOUND-style failure when the project has none. */
async function roundOf(host: ServiceHost, given: string | undefined): Promise<number> {
  if (given !== undefined) return Number(given)
  const rounds = (await host.dispatch('rounds:list', {})) as Output<'rounds:list'>
  if (rounds.length === 0) throw new InvalidArgumentError('the project has no pseudo-label round yet: run labelloop predict <project> --round first')
  return rounds[0].id
}

const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`)

function describeQueue(page: Output<'review:list'>): string {
  const head = `${page.total} pseudo-label${page.total === 1 ? '' : 's'}`
  const rows = page.items.map((i) => `${String(i.id).padStart(6)}  r${i.roundId}  ${(i.score ?? 0).toFixed(3)}  ${i.status.padEnd(8)}  kept ${pct(i.keptFraction).padStart(6)}  ${i.imageName}`)
  return [head, '    id  round  score  status    kept     image', ...rows].join('\n')
}

async function runReview(ctx: CommandContext, file: string, opts: ReviewOptions): Promise<number> {
  const path = resolve(ctx.io.cwd, file)
  const actions = [opts.list, opts.acceptAbove !== undefined, opts.rollback !== undefined].filter(Boolean).length
  if (actions !== 1) {
    ctx.io.stderr.write('labelloop review: give exactly one of --list, --accept-above <score>, --rollback <round>\n')
    return EXIT.usage
  }
  try {
    requireProjectFile(path)
    const host = await ctx.createHost('cli')
    try {
      await host.dispatch('project:open', { path })
      if (opts.list) {
        const query = {
          ...(opts.round === undefined ? {} : { roundId: Number(opts.round) }),
          ...(opts.status === undefined ? {} : { status: parseStatuses(opts.status) }),
          ...(opts.class === undefined ? {} : { classIndex: Number(opts.class) }),
          limit: opts.limit === undefined ? 5000 : Number(opts.limit),
        }
        const page = (await host.dispatch('review:list', query)) as Output<'review:list'>
        ctx.out.result(page, describeQueue(page))
      } else if (opts.acceptAbove !== undefined) {
        const roundId = await roundOf(host, opts.round)
        const r = (await host.dispatch('review:acceptAbove', { roundId, score: opts.acceptAbove })) as Output<'review:acceptAbove'>
        ctx.out.result({ roundId, ...r }, `round ${roundId}: accepted ${r.accepted} pseudo-label${r.accepted === 1 ? '' : 's'} with score ≥ ${opts.acceptAbove}`)
      } else {
        const roundId = Number(opts.rollback)
        const r = (await host.dispatch('rounds:rollback', { roundId })) as Output<'rounds:rollback'>
        ctx.out.result({ roundId, ...r }, `round ${roundId} rolled back: ${r.reverted} label${r.reverted === 1 ? '' : 's'} restored, ${r.keptChanged} changed since and kept, ${r.reset} decision${r.reset === 1 ? '' : 's'} reset`)
      }
      return EXIT.ok
    } finally {
      await host.close()
    }
  } catch (err) {
    return ctx.out.fail(err, path)
  }
}

export function registerReview(program: Command, ctx: (json: boolean) => CommandContext, done: (code: number) => void): void {
  program
    .command('review')
    .description('list the pseudo-label review queue, accept in batch above a score, or roll a round back')
    .argument('<project>', 'project file')
    .option('--list', 'list the queue, most useful first')
    .option('--accept-above <score>', 'accept every pending pseudo-label of the round with review score ≥ score', parseScore)
    .option('--rollback <round>', 'roll a round back: its accepted labels leave, earlier labels return')
    .option('--round <id>', 'the round (default: all for --list, the newest for --accept-above)')
    .option('--status <list>', 'with --list: only these statuses (pending,accepted,rejected,edited)')
    .option('--class <index>', 'with --list: only pseudo-labels keeping pixels of this class')
    .option('--limit <n>', 'with --list: at most this many rows')
    .option('--json', 'print the result as one JSON object on stdout')
    .action(async (file: string, opts: ReviewOptions) => done(await runReview(ctx(opts.json === true), file, opts)))
}
