/**
 * How every command talks: human progress and messages on stderr, the result on stdout (one JSON object
 * with `--json`), and failures as one line `labelloop: <file>: <problem>` plus, with `--json`,
 * `{ error: { code, message, file } }` on stdout.
 */
import { basename } from 'node:path'
import { toErrorDto, type ErrorDto } from '../../core/contract'
import type { ServiceHost } from '../services/host-types'

/** A stream the CLI writes to (process.stdout in real use, a string buffer in tests). */
export interface TextSink {
  write(text: string): unknown
}

/** A signal that interrupts a running command. */
export type InterruptSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP'

/** Everything the CLI needs from its surroundings, injected so tests run it in-process. */
export interface CliIo {
  stdout: TextSink
  stderr: TextSink
  env: Readonly<Record<string, string | undefined>>
  cwd: string
  /** Subscribes to SIGINT / SIGTERM / SIGHUP (also raised when the parent process died); returns the unsubscribe function. */
  onInterrupt(handler: (signal: InterruptSignal) => void): () => void
  /** Opens a URL in the user's browser (serve without --no-open). */
  openBrowser(url: string): void
}

/** Shared per-command context: output plus the ServiceHost factory. */
export interface CommandContext {
  io: CliIo
  out: Output
  /** Creates the services for a command; the command closes them. */
  createHost(mode: 'cli' | 'browser'): Promise<ServiceHost>
}

/** Exit codes: 0 ok, 1 failure (including files that failed to import), 2 usage, 130 interrupted. */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim()
}

/** The one-line reason: `labelloop: <file>: <problem>`, without repeating a file the message names. */
export function formatFailure(error: Pick<ErrorDto, 'message' | 'file'>, file?: string): string {
  const where = error.file ?? file
  let message = oneLine(error.message)
  if (!where || message.includes(where)) return `labelloop: ${message}`
  // "a.png: problem" about /full/a.png reads as "/full/a.png: problem".
  const short = `${basename(where)}: `
  if (message.startsWith(short)) message = message.slice(short.length)
  return `labelloop: ${where}: ${message}`
}

export class Output {
  constructor(
    private readonly io: CliIo,
    readonly json: boolean,
  ) {}

  /** A progress or status line for humans (stderr, also with --json). */
  progress(line: string): void {
    this.io.stderr.write(`${line}\n`)
  }

  /** The command's result: JSON on stdout with --json, otherwise the human text on stdout. */
  result(value: unknown, human: string): void {
    if (this.json) this.io.stdout.write(`${JSON.stringify(value)}\n`)
    else if (human.length > 0) this.io.stdout.write(human.endsWith('\n') ? human : `${human}\n`)
  }

  /** Reports a failure (one line on stderr, the error object on stdout with --json); returns the exit code. */
  fail(err: unknown, file?: string): number {
    const dto = toErrorDto(err)
    const withFile = dto.file === undefined && file !== undefined ? { ...dto, file } : dto
    this.io.stderr.write(`${formatFailure(withFile)}\n`)
    if (this.json) this.io.stdout.write(`${JSON.stringify({ error: withFile })}\n`)
    return EXIT.failure
  }
}
