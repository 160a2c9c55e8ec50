/** `labelloop new <file> --classes a,b,c [--colors ...] [--name N] [--sample]`: creates a project file. */
import { existsSync } from 'node:fs'
import { basename, extname, resolve } from 'node:path'
import type { Command } from 'commander'
import { AppError, HexColor, type NewClass, type ProjectInfo } from '../../../core/contract'
import type { CommandContext } from '../output'
import { describeProject } from './info'

interface NewOptions {
  classes?: string
  colors?: string
  name?: string
  sample?: boolean
  json?: boolean
}

function splitList(text: string): string[] {
  return text.split(',').map((s) => s.trim())
}

/** Turns `--classes` and `--colors` into the contract's class list, naming the problem when they do not fit. */
export function parseClasses(classes: string, colors: string | undefined): NewClass[] {
  const names = splitList(classes)
  if (names.some((n) => n.length === 0)) throw new AppError('INVALID_INPUT', `--classes "${classes}" has an empty class name`)
  if (new Set(names.map((n) => n.toLowerCase())).size !== names.length) {
    throw new AppError('INVALID_INPUT', `--classes "${classes}" names a class twice`)
  }
  if (colors === undefined) return names.map((name) => ({ name }))
  const list = splitList(colors)
  if (list.length !== names.length) {
    throw new AppError('INVALID_INPUT', `--colors has ${list.length} colours for ${names.length} classes`)
  }
  const bad = list.find((c) => !HexColor.safeParse(c).success)
  if (bad !== undefined) throw new AppError('INVALID_INPUT', `--colors: "${bad}" is not a colour like #rrggbb`)
  return names.map((name, i) => ({ name, color: list[i] }))
}

async function runNew(ctx: CommandContext, file: string, opts: NewOptions): Promise<number> {
  const path = resolve(ctx.io.cwd, file)
  try {
    if (opts.sample && opts.classes !== undefined) {
      throw new AppError('INVALID_INPUT', '--sample brings its own classes; leave out --classes')
    }
    if (!opts.sample && opts.classes === undefined) throw new AppError('INVALID_INPUT', 'give the classes with --classes a,b,c (or use --sample)')
    if (existsSync(path)) throw new AppError('ALREADY_EXISTS', `${path}: file already exists; LabelLoop never overwrites a project`, path)
    const host = await ctx.createHost('cli')
    try {
      let info: ProjectInfo
      if (opts.sample) {
        ctx.out.progress(`Generating the sample project in ${path} ...`)
        info = (await host.dispatch('project:openSample', { path, fresh: true })) as ProjectInfo
      } else {
        const classes = parseClasses(opts.classes ?? '', opts.colors)
        const name = opts.name ?? basename(path, extname(path))
        info = (await host.dispatch('project:create', { path, name, classes })) as ProjectInfo
      }
      ctx.out.result(info, `Created ${info.path}\n${describeProject(info)}`)
      return 0
    } finally {
      await host.close()
    }
  } catch (err) {
    return ctx.out.fail(err, path)
  }
}

export function registerNew(program: Command, ctx: (json: boolean) => CommandContext, done: (code: number) => void): void {
  program
    .command('new')
    .description('create a new project file')
    .argument('<file>', 'project file to create, e.g. fields.labelloop')
    .option('--classes <names>', 'comma-separated class names, e.g. background,road,building')
    .option('--colors <colours>', "comma-separated #rrggbb colours, one per class, e.g. '#000000,#ff0000'")
    .option('--name <name>', 'project name (default: the file name)')
    .option('--sample', 'generate the sample project (aerial-style tiles with a rare class) instead')
    .option('--json', 'print the project as one JSON object on stdout')
    .action(async (file: string, opts: NewOptions) => done(await runNew(ctx(opts.json === true), file, opts)))
}
