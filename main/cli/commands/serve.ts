/**
 * `labelloop serve [--port N] [--no-open] [--sample] [<project>]`: browser mode. Starts the web host on 127.0.0.1
 * over browser-mode services, prints the URL with its access token and runs until SIGINT, SIGTERM or SIGHUP, or until its parent process exits.
 */
import { resolve } from 'node:path'
import type { Command } from 'commander'
import { AppError } from '../../../core/contract'
import type { ServiceHost } from '../../services/host-types'
import { startWebHost, type WebHost } from '../../web'
import { rendererDir } from '../app-env'
import type { CommandContext } from '../output'
import { requireProjectFile } from './info'

interface ServeOptions {
  port?: string
  open: boolean
  json?: boolean
  sample?: boolean
}

/** Parses `--port`: 0 (any free port) to 65535. */
export function parsePort(text: string | undefined): number {
  if (text === undefined) return 0
  const port = Number(text)
  if (!/^\d{1,5}$/.test(text) || port > 65535) throw new AppError('INVALID_INPUT', `--port ${text} is not a port number (0-65535)`)
  return port
}

async function runServe(ctx: CommandContext, project: string | undefined, opts: ServeOptions): Promise<number> {
  const path = project === undefined ? undefined : resolve(ctx.io.cwd, project)
  let host: ServiceHost | null = null
  let web: WebHost | null = null
  // Subscribe before anything slow so an early Ctrl+C still shuts down cleanly.
  let stop: () => void = () => undefined
  let offInterrupt: () => void = () => undefined
  const stopped = new Promise<string>((done) => {
    stop = () => done('')
    offInterrupt = ctx.io.onInterrupt((signal) => done(signal))
  })
  try {
    const port = parsePort(opts.port)
    if (path !== undefined) requireProjectFile(path)
    host = await ctx.createHost('browser')
    web = await startWebHost({ host, rendererDir: rendererDir(ctx.io.env), port })
    let opened = path ?? null
    if (path !== undefined) await host.dispatch('project:open', { path })
    else if (opts.sample) {
      ctx.out.progress('Opening the sample project (generated on first use)…')
      opened = ((await host.dispatch('project:openSample', {})) as { path: string }).path
    }
    ctx.out.result({ url: web.url, port: web.port, project: opened }, `LabelLoop is running at\n  ${web.url}`)
    ctx.out.progress('Open the URL above (it carries the access token). Press Ctrl+C to stop.')
    if (opts.open) ctx.io.openBrowser(web.url)
    const signal = await stopped
    ctx.out.progress(`labelloop: ${signal || 'stop'} received, shutting down`)
    return 0
  } catch (err) {
    stop()
    return ctx.out.fail(err, path)
  } finally {
    offInterrupt()
    await web?.close()
    await host?.close()
  }
}

export function registerServe(program: Command, ctx: (json: boolean) => CommandContext, done: (code: number) => void): void {
  program
    .command('serve')
    .description('browser mode: serve LabelLoop on 127.0.0.1 with a random access token')
    .argument('[project]', 'project file to open')
    .option('--port <port>', 'TCP port (default: any free port)')
    .option('--no-open', 'do not open a browser')
    .option('--sample', 'open the built-in sample project when no project is given')
    .option('--json', 'print {url, port, project} as one JSON object on stdout once running')
    .action(async (project: string | undefined, opts: ServeOptions) => done(await runServe(ctx(opts.json === true), project, opts)))
}
