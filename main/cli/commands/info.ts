/** `labelloop info <project>`: classes, image count and label status of a project. */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Command } from 'commander'
import { AppError, type ProjectInfo } from '../../../core/contract'
import type { CommandContext } from '../output'

/** Human summary of a project, shared by `new` and `info`. */
export function describeProject(info: ProjectInfo): string {
  const classes = info.classes.map((c) => `  ${String(c.index).padStart(3)}  ${c.color}  ${c.name}`).join('\n')
  const { labeled, partial, unlabeled } = info.counts
  return [
    `Project:  ${info.name}`,
    `File:     ${info.path}`,
    `Images:   ${info.imageCount} (${labeled} labeled, ${partial} partly labeled, ${unlabeled} unlabeled)`,
    `Classes:  ${info.classes.length}`,
    classes,
  ].join('\n')
}

/** Fails with NOT_FOUND before the services are asked, so a typo never creates anything. */
export function requireProjectFile(path: string): void {
  if (!existsSync(path)) throw new AppError('NOT_FOUND', `${path}: no such project file`, path)
}

async function runInfo(ctx: CommandContext, file: string): Promise<number> {
  const path = resolve(ctx.io.cwd, file)
  try {
    requireProjectFile(path)
    const host = await ctx.createHost('cli')
    try {
      const info = (await host.dispatch('project:open', { path })) as ProjectInfo
      ctx.out.result(info, describeProject(info))
      return 0
    } finally {
      await host.close()
    }
  } catch (err) {
    return ctx.out.fail(err, path)
  }
}

export function registerInfo(program: Command, ctx: (json: boolean) => CommandContext, done: (code: number) => void): void {
  program
    .command('info')
    .description('show a project: classes, images, label status')
    .argument('<project>', 'project file')
    .option('--json', 'print the project as one JSON object on stdout')
    .action(async (file: string, opts: { json?: boolean }) => done(await runInfo(ctx(opts.json === true), file)))
}
