/**
 * Child processes for the crash harness: the real CLI (bin/labelloop.js) or a worker script, each in its
 * own process group on the project's Node 22, so one SIGKILL to the group also takes its trainer process
 * down, as a power cut or the OOM killer would.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
export const NODE = join(REPO, 'node_modules', '.bin', 'node')
export const CLI = join(REPO, 'bin', 'labelloop.js')
/** tsx's loader by absolute URL, so workers start from any working directory. */
const TSX = pathToFileURL(join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href

export interface Child {
  proc: ChildProcess
  /** Milliseconds since spawn when the child first wrote anything (stdout or stderr), or null. */
  firstOutputMs: () => number | null
  stdout: () => string
  stderr: () => string
  /** Resolves with the exit code (null when killed by a signal) once the child is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>
  /** Whether the child has exited. */
  done: () => boolean
}

/** Starts `node <args>` in `cwd` as a process-group leader with LABELLOOP_HOME under `home` (and `env`). */
export function startNode(args: readonly string[], cwd: string, home: string, env: Record<string, string> = {}): Child {
  const t0 = performance.now()
  const proc = spawn(NODE, [...args], { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env, LABELLOOP_HOME: home } })
  let out = ''
  let err = ''
  let first: number | null = null
  let finished = false
  const mark = (): void => {
    if (first === null) first = performance.now() - t0
  }
  proc.stdout?.on('data', (d: Buffer) => {
    mark()
    out += d.toString()
  })
  proc.stderr?.on('data', (d: Buffer) => {
    mark()
    err += d.toString()
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((resolve) => {
    proc.on('close', (code, signal) => {
      finished = true
      resolve({ code, signal, ms: performance.now() - t0 })
    })
  })
  return { proc, firstOutputMs: () => first, stdout: () => out, stderr: () => err, exited, done: () => finished }
}

/** Starts the real `labelloop` command. */
export function startCli(argv: readonly string[], cwd: string, home: string, env: Record<string, string> = {}): Child {
  return startNode([CLI, ...argv], cwd, home, env)
}

/** Starts a TypeScript worker script through tsx. */
export function startWorker(script: string, argv: readonly string[], cwd: string, home: string): Child {
  return startNode(['--import', TSX, script, ...argv], cwd, home)
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0)
    return true
  } catch {
    return false
  }
}

/**
 * SIGKILLs the child's whole process group (the CLI and any trainer it forked) and waits, up to 10 s, until
 * every process of it is gone and reaped, as it would be long before a user reopens the project.
 */
export async function killGroup(child: Child): Promise<void> {
  const pid = child.proc.pid
  if (pid === undefined) return
  if (groupAlive(pid)) process.kill(-pid, 'SIGKILL')
  await child.exited
  await waitFor(() => !groupAlive(pid), 10_000)
}

/** Waits until `pred` holds or `timeoutMs` passes (polling every 10 ms); returns whether it held. */
export async function waitFor(pred: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = performance.now() + timeoutMs
  while (performance.now() < end) {
    if (pred()) return true
    await new Promise((r) => setTimeout(r, 10))
  }
  return pred()
}
