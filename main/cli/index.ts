/**
 * Entry of the `labelloop` command (bin/labelloop.js runs it through tsx): wires runCli to the real
 * process. A second, separate Ctrl+C while a command is shutting down exits at once. SIGINT, SIGTERM,
 * SIGHUP and the death of the parent process all interrupt the running command.
 */
import { spawn } from 'node:child_process'
import { watchParent } from '../trainer/parent-watch'
import { runCli, type CliIo } from './run-cli'
import type { InterruptSignal } from './output'

/** Signals closer together than this are one key press delivered twice (terminal and launcher). */
const SAME_PRESS_MS = 300

function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]]
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true })
  child.on('error', () => process.stderr.write(`labelloop: could not open a browser; open ${url} yourself\n`))
  child.unref()
}

function processIo(): CliIo {
  const handlers = new Set<(signal: InterruptSignal) => void>()
  let firstAt = 0
  const onSignal = (signal: InterruptSignal): void => {
    const now = Date.now()
    if (firstAt === 0) firstAt = now
    else if (now - firstAt > SAME_PRESS_MS) process.exit(130)
    else return
    for (const h of [...handlers]) h(signal)
    if (handlers.size === 0) process.exit(130)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  process.on('SIGHUP', onSignal)
  // Under a launcher (npx, bin/labelloop.js, npm start) a parent that died without a signal reaching
  // this process must still stop it: a server or a training nobody can reach any more is an orphan.
  watchParent(() => onSignal('SIGHUP'))
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    onInterrupt(handler) {
      handlers.add(handler)
      return () => handlers.delete(handler)
    },
    openBrowser,
  }
}

const code = await runCli(process.argv.slice(2), processIo())
process.exitCode = code
// Whatever is still pending (a lingering handle in a dependency) must not keep a finished command alive.
setTimeout(() => process.exit(code), 3000).unref()
