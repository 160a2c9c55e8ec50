/**
 * `labelloop eval <project> --masks <dir> [--run N] [--json]`: scores the active model on every
 * project image whose file stem has a ground-truth index PNG in <dir> (255 ignored):
 * `{ perClass: [{ index, name, iou, f1, precision, recall }], mIoU, macroF1, confusion }`.
 */
import { randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import type { Command } from 'commander'
import type { EvalResult } from '../../../core/contract'
import { EXIT, type CommandContext } from '../output'
import { requireProjectFile } from './info'

interface EvalOptions {
  masks: string
  run?: string
  json?: boolean
}

function table(r: EvalResult): string {
  const rows = r.perClass.map((c) => `  ${String(c.index).padStart(3)}  ${c.name.padEnd(16)} IoU ${c.iou.toFixed(3)}  F1 ${c.f1.toFixed(3)}  precision ${c.precision.toFixed(3)}  recall ${c.recall.toFixed(3)}`)
  return [`run ${r.runId} on ${r.images} image${r.images === 1 ? '' : 's'}: mIoU ${r.mIoU.toFixed(3)}, macro-F1 ${r.macroF1.toFixed(3)}`, ...rows].join('\n')
}

async function runEval(ctx: CommandContext, file: string, opts: EvalOptions): Promise<number> {
  const path = resolve(ctx.io.cwd, file)
  try {
    requireProjectFile(path)
    const host = await ctx.createHost('cli')
    const jobId = `cli-${randomUUID()}`
    const offInterrupt = ctx.io.onInterrupt(() => {
      host.dispatch('predict:cancel', { jobId }).catch(() => undefined)
    })
    try {
      await host.dispatch('project:open', { path })
      const input = { jobId, masksDir: resolve(ctx.io.cwd, opts.masks), ...(opts.run === undefined ? {} : { runId: Number(opts.run) }) }
      const r = (await host.dispatch('models:evaluate', input)) as EvalResult
      ctx.out.result({ perClass: r.perClass, mIoU: r.mIoU, macroF1: r.macroF1, confusion: r.confusion, runId: r.runId, images: r.images }, table(r))
      return EXIT.ok
    } finally {
      offInterrupt()
      await host.close()
    }
  } catch (err) {
    return ctx.out.fail(err, path)
  }
}

export function registerEval(program: Command, ctx: (json: boolean) => CommandContext, done: (code: number) => void): void {
  program
    .command('eval')
    .description('score the active model against a folder of ground-truth index PNGs matched by file stem')
    .argument('<project>', 'project file')
    .requiredOption('--masks <dir>', 'folder of ground-truth index PNGs (255 = ignore)')
    .option('--run <id>', 'evaluate this run instead of the active model')
    .option('--json', 'print the scores as one JSON object on stdout')
    .action(async (file: string, opts: EvalOptions) => done(await runEval(ctx(opts.json === true), file, opts)))
}
