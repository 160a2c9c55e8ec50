/**
 * Starting the trainer process, behind a factory so each host supplies its own: `forkTrainer` runs
 * entry.ts with Node's child_process.fork under tsx (web host, CLI, tests); the Electron main process
 * supplies one around utilityProcess.fork of the bundled entry.
 */
import { fork } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** A running trainer process as the supervisor sees it. */
export interface TrainerHandle {
  readonly pid: number | undefined
  send(message: unknown): void
  onMessage(listener: (message: unknown) => void): void
  /** Called once when the process has exited: a reason for an abnormal exit (code, signal, stderr tail), else null. */
  onExit(listener: (reason: string | null) => void): void
  kill(): void
}

/** Starts a trainer process. */
export type TrainerFactory = () => TrainerHandle

const ENTRY = join(dirname(fileURLToPath(import.meta.url)), 'entry.ts')
/** tsx's loader by absolute URL: a bare `--import tsx` resolves from the working directory, which is the user's data folder for the CLI. */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
const STDERR_TAIL = 2000

/** child_process.fork of entry.ts with `--import tsx`; stdout (tfjs banners) is discarded, stderr kept for the failure reason. */
export const forkTrainer: TrainerFactory = () => {
  const child = fork(ENTRY, [], { execArgv: ['--import', TSX_LOADER], stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL)
  })
  const exitListeners: ((reason: string | null) => void)[] = []
  let exited = false
  const report = (reason: string | null): void => {
    if (exited) return
    exited = true
    for (const l of exitListeners) l(reason)
  }
  child.on('error', (err) => report(`trainer process could not run: ${err.message}`))
  child.on('close', (code, signal) => {
    const tail = stderr.trim().split('\n').slice(-5).join(' | ')
    if (signal) report(`trainer process was killed (${signal})${tail ? `: ${tail}` : ''}`)
    else if (code !== 0) report(`trainer process exited with code ${code}${tail ? `: ${tail}` : ''}`)
    else report(null)
  })
  return {
    pid: child.pid,
    send: (message) => {
      if (child.connected) child.send(message as object)
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => exitListeners.push(listener),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    },
  }
}
