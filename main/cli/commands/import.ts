/**
 * `labelloop import <project> <paths...> [--masks <dir>]`: imports image files and folders, with progress
 * on stderr and the ImportResult at the end. Ctrl+C cancels the import; what already arrived stays and
 * is reported.
 */
import { randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import type { Command } from 'commander'
import type { EventPayload, ImportResult } from '../../../core/contract'
import { EXIT, formatFailure, type CommandContext } from '../output'
import { requireProjectFile } from './info'

interface ImportOptions {
  masks?: string
  json?: boolean
}

/** Progress is printed at most this often (plus the first and the last line). */
const PROGRESS_INTERVAL_MS = 250

function progressLine(p: EventPayload<'import:progress'>): string {
  return `import: ${p.done}/${p.total} (imported ${p.imported}, skipped ${p.skipped}, failed ${p.failed})`
}

function summary(r: ImportResult): string {
  const lines = [
    `Imported ${r.imported.length}, skipped ${r.skipped.length}, failed ${r.failed.length}` +
      (r.masks.attached.length + r.masks.failed.length > 0 ? `; masks attached ${r.masks.attached.length}, failed ${r.masks.failed.length}` : '') +
      (r.cancelled ? ' (cancelled)' : ''),
  ]
  for (const im of r.imported) if (im.linked) lines.push(`  linked, not copied (too large to store in the project; keep the file where it is): ${im.file}`)
  for (const s of r.skipped) lines.push(`  skipped ${s.file}: ${s.reason}`)
  return lines.join('\n')
}

async function runImport(ctx: CommandContext, project: string, paths: string[], opts: ImportOptions): Promise<number> {
  const path = resolve(ctx.io.cwd, project)
  try {
    requireProjectFile(path)
    const host = await ctx.createHost('cli')
    const jobId = `cli-${randomUUID()}`
    let lastPrinted = 0
    const offEvents = host.onEvent((name, payload) => {
      if (name !== 'import:progress') return
      const p = payload as EventPayload<'import:progress'>
      if (p.jobId !== jobId) return
      const now = Date.now()
      if (p.done === 1 || p.done === p.total || now - lastPrinted >= PROGRESS_INTERVAL_MS) {
        lastPrinted = now
        ctx.out.progress(progressLine(p))
      }
    })
    let cancelling = false
    const offInterrupt = ctx.io.onInterrupt(() => {
      if (cancelling) return
      cancelling = true
      ctx.out.progress('import: cancelling; images already imported stay')
      host.dispatch('images:cancelImport', { jobId }).catch(() => undefined)
    })
    try {
      await host.dispatch('project:open', { path })
      const input = {
        jobId,
        paths: paths.map((p) => resolve(ctx.io.cwd, p)),
        ...(opts.masks === undefined ? {} : { masksDir: resolve(ctx.io.cwd, opts.masks) }),
      }
      const result = (await host.dispatch('images:import', input)) as ImportResult
      for (const f of [...result.failed, ...result.masks.failed]) {
        ctx.io.stderr.write(`${formatFailure({ message: f.reason, file: f.file })}\n`)
      }
      const { imported, skipped, failed, masks, cancelled } = result
      ctx.out.result({ imported, skipped, failed, masks, cancelled }, summary(result))
      if (cancelled) return EXIT.interrupted
      return failed.length + masks.failed.length > 0 ? EXIT.failure : EXIT.ok
    } finally {
      offInterrupt()
      offEvents()
      await host.close()
    }
  } catch (err) {
    return ctx.out.fail(err, path)
  }
}

export function registerImport(program: Command, ctx: (json: boolean) => CommandContext, done: (code: number) => void): void {
  program
    .command('import')
    .description('import image files and folders (recursively) into a project')
    .argument('<project>', 'project file')
    .argument('<paths...>', 'image files or folders')
    .option('--masks <dir>', 'folder of index-PNG masks, matched to images by file stem')
    .option('--json', 'print {imported, skipped, failed, masks, cancelled} as one JSON object on stdout')
    .action(async (project: string, paths: string[], opts: ImportOptions) => done(await runImport(ctx(opts.json === true), project, paths, opts)))
}
