/**
 * The `labelloop` command line: builds the commander program over injected IO and returns the exit
 * code instead of exiting, so tests run it in-process. index.ts wires it to the real process.
 */
import { mkdir } from 'node:fs/promises'
import { Command, CommanderError } from 'commander'
import type { ServiceHost } from '../services/host-types'
import { appDataDir, packageVersion } from './app-env'
import { registerDoctor } from './commands/doctor'
import { registerExport } from './commands/export'
import { registerImport } from './commands/import'
import { registerInfo } from './commands/info'
import { registerNew } from './commands/new'
import { registerServe } from './commands/serve'
import { registerStats } from './commands/stats'
import { registerEval } from './commands/eval'
import { registerExportModel } from './commands/export-model'
import { registerPredict } from './commands/predict'
import { registerTrain } from './commands/train'
import { registerPretrain } from './commands/pretrain'
import { registerReview } from './commands/review'
import { registerSuggest } from './commands/suggest'
import { EXIT, Output, type CliIo, type CommandContext } from './output'

export type { CliIo } from './output'

/** Creates the real services for a command, in the app data folder of `io.env`. */
async function createHost(io: CliIo, mode: 'cli' | 'browser'): Promise<ServiceHost> {
  const { createServiceHost } = await import('../services/index')
  const dir = appDataDir(io.env)
  await mkdir(dir, { recursive: true })
  return createServiceHost({ mode, appDataDir: dir, version: packageVersion(), nativeDialogs: false })
}

/** Runs `labelloop <argv...>` (argv without node and script) and resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let code: number = EXIT.ok
  const done = (c: number): void => {
    code = c
  }
  const context = (json: boolean): CommandContext => ({ io, out: new Output(io, json), createHost: (mode) => createHost(io, mode) })
  const program = new Command('labelloop')
    .description('LabelLoop: label, balance, train and review semantic segmentation on small, imbalanced image sets')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .showHelpAfterError('(run labelloop --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(s.replace(/^error: /, 'labelloop: ')),
    })
  registerNew(program, context, done)
  registerImport(program, context, done)
  registerInfo(program, context, done)
  registerStats(program, context, done)
  registerServe(program, context, done)
  registerExport(program, context, done)
  registerTrain(program, context, done)
  registerPretrain(program, context, done)
  registerPredict(program, context, done)
  registerReview(program, context, done)
  registerSuggest(program, context, done)
  registerEval(program, context, done)
  registerExportModel(program, context, done)
  registerDoctor(program, context, done)
  try {
    await program.parseAsync([...argv], { from: 'user' })
  } catch (err) {
    if (!(err instanceof CommanderError)) return new Output(io, argv.includes('--json')).fail(err)
    if (err.exitCode === 0) return EXIT.ok
    if (argv.includes('--json')) {
      io.stdout.write(`${JSON.stringify({ error: { code: 'INVALID_INPUT', message: err.message.replace(/^error: /, '') } })}\n`)
    }
    return EXIT.usage
  }
  return code
}
