/**
 * `labelloop export <project> <dir> --format index|color|coco [--source human|pseudo|both]` and
 * `labelloop import-labels <project> <path> --format coco|png`: labels out of and into a project, with
 * the written files / the import report as the result (one JSON object with --json).
 */
import { resolve } from 'node:path'
import { Option, type Command } from 'commander'
import type { ExportResult, LabelImportReport } from '../../../core/contract'
import type { ServiceHost } from '../../services/host-types'
import { EXIT, formatFailure, type CommandContext } from '../output'
import { requireProjectFile } from './info'

interface ExportOptions {
  format: 'index' | 'color' | 'coco'
  source: 'human' | 'pseudo' | 'both'
  json?: boolean
}

interface ImportLabelsOptions {
  format: 'coco' | 'png'
  json?: boolean
}

/** At most this many entries of a list are printed for humans (all of them are in --json). */
const SHOWN = 10

function listed<T>(title: string, items: readonly T[], line: (item: T) => string): string[] {
  if (items.length === 0) return []
  const lines = [`${title} (${items.length}):`, ...items.slice(0, SHOWN).map((i) => `  ${line(i)}`)]
  if (items.length > SHOWN) lines.push(`  … and ${items.length - SHOWN} more (see --json)`)
  return lines
}

function exportSummary(r: ExportResult): string {
  return [`Exported ${r.written} masks to ${r.dir} (${r.files.length} files); skipped ${r.skipped.length} images`].join('\n')
}

function importSummary(r: LabelImportReport): string {
  return [
    `Attached ${r.attached.length} masks; unmapped classes ${r.unmapped.length}, unmatched files ${r.unmatched.length}, failed ${r.failed.length}`,
    ...listed('Unmapped classes (their pixels were left unlabeled)', r.unmapped, (u) =>
      `${u.name} (source id ${u.sourceId}): ${u.annotations === null ? `${u.pixels ?? 0} pixels` : `${u.annotations} annotations`}`),
    ...listed('Unmatched files', r.unmatched, (u) => `${u.file}: ${u.reason}`),
  ].join('\n')
}

/** Opens the project, runs `fn` with the host, closes it; failures become the CLI's error output. */
async function withProject(ctx: CommandContext, project: string, fn: (host: ServiceHost) => Promise<number>): Promise<number> {
  const path = resolve(ctx.io.cwd, project)
  try {
    requireProjectFile(path)
    const host = await ctx.createHost('cli')
    try {
      await host.dispatch('project:open', { path })
      return await fn(host)
    } finally {
      await host.close()
    }
  } catch (err) {
    return ctx.out.fail(err, path)
  }
}

async function runExport(ctx: CommandContext, project: string, dir: string, opts: ExportOptions): Promise<number> {
  return withProject(ctx, project, async (host) => {
    const result = (await host.dispatch('export:run', { dir: resolve(ctx.io.cwd, dir), format: opts.format, source: opts.source })) as ExportResult
    ctx.out.result(result, exportSummary(result))
    return EXIT.ok
  })
}

async function runImportLabels(ctx: CommandContext, project: string, path: string, opts: ImportLabelsOptions): Promise<number> {
  return withProject(ctx, project, async (host) => {
    const report = (await host.dispatch('labels:import', { path: resolve(ctx.io.cwd, path), format: opts.format })) as LabelImportReport
    for (const f of report.failed) ctx.io.stderr.write(`${formatFailure({ message: f.reason, file: f.file })}\n`)
    ctx.out.result(report, importSummary(report))
    return report.failed.length > 0 ? EXIT.failure : EXIT.ok
  })
}

/** Registers `export` and `import-labels`. */
export function registerExport(program: Command, ctx: (json: boolean) => CommandContext, done: (code: number) => void): void {
  program
    .command('export')
    .description('write the project\'s labels to a folder: index PNGs, colour PNGs with a legend, or COCO JSON')
    .argument('<project>', 'project file')
    .argument('<dir>', 'output folder (created if missing)')
    .addOption(new Option('--format <format>', 'index: class-index PNGs; color: colour PNGs + legend.png; coco: annotations.json').choices(['index', 'color', 'coco']).makeOptionMandatory())
    .addOption(new Option('--source <source>', 'human labels, accepted pseudo-labels, or both').choices(['human', 'pseudo', 'both']).default('both'))
    .option('--json', 'print {dir, written, files, skipped} as one JSON object on stdout')
    .action(async (project: string, dir: string, opts: ExportOptions) => done(await runExport(ctx(opts.json === true), project, dir, opts)))

  program
    .command('import-labels')
    .description('attach labels from a COCO JSON file or a folder of palette/index PNGs, mapping classes by name')
    .argument('<project>', 'project file')
    .argument('<path>', 'COCO JSON file (--format coco) or folder of PNG masks (--format png)')
    .addOption(new Option('--format <format>', 'coco or png').choices(['coco', 'png']).makeOptionMandatory())
    .option('--json', 'print {attached, unmapped, unmatched, failed} as one JSON object on stdout')
    .action(async (project: string, path: string, opts: ImportLabelsOptions) => done(await runImportLabels(ctx(opts.json === true), project, path, opts)))
}
