/**
 * `labelloop export-model <project> <dir> [--run N] [--json]`: writes the active (or given) run's best
 * model as a tfjs model folder (model.json, weights.bin) with labelloop.json (classes, normalisation).
 */
import { resolve } from 'node:path'
import type { Command } from 'commander'
import type { CommandContext } from '../output'
import { requireProjectFile } from './info'

interface ExportModelOptions {
  run?: string
  json?: boolean
}

async function runExportModel(ctx: CommandContext, file: string, dir: string, opts: ExportModelOptions): Promise<number> {
  const path = resolve(ctx.io.cwd, file)
  try {
    requireProjectFile(path)
    const host = await ctx.createHost('cli')
    try {
      await host.dispatch('project:open', { path })
      const input = { dir: resolve(ctx.io.cwd, dir), ...(opts.run === undefined ? {} : { runId: Number(opts.run) }) }
      const r = (await host.dispatch('models:export', input)) as { dir: string; files: string[] }
      ctx.out.result(r, `model written to ${r.dir}:\n${r.files.map((f) => `  ${f}`).join('\n')}`)
      return 0
    } finally {
      await host.close()
    }
  } catch (err) {
    return ctx.out.fail(err, path)
  }
}

export function registerExportModel(program: Command, ctx: (json: boolean) => CommandContext, done: (code: number) => void): void {
  program
    .command('export-model')
    .description('write the trained model as a tfjs folder with its classes and normalisation')
    .argument('<project>', 'project file')
    .argument('<dir>', 'output folder')
    .option('--run <id>', 'export this run instead of the active model')
    .option('--json', 'print the written files as one JSON object on stdout')
    .action(async (file: string, dir: string, opts: ExportModelOptions) => done(await runExportModel(ctx(opts.json === true), file, dir, opts)))
}
