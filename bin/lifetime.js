// How LabelLoop's launchers (bin/labelloop.js re-executing under Node 22, scripts/start.mjs) keep their
// children from outliving them: SIGINT, SIGTERM and SIGHUP are forwarded to the child, and a launcher whose
// own parent went away (npm killed with SIGTERM exits without telling the command it started; the process
// is then re-parented) stops its child and exits. Plain ESM JavaScript: it runs before anything is compiled.
// Set LABELLOOP_DETACHED=1 to keep a deliberately detached process (`nohup labelloop serve &`) running.

/** The signals a launcher passes on to its child. */
export const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP']

const POLL_MS = 500
const KILL_AFTER_MS = 5000

/**
 * Calls `onGone` once when this process's parent has exited (its parent pid changed, i.e. it was
 * re-parented), polling twice a second; the timer does not keep the process alive. Returns a stop function.
 */
export function watchParent(onGone, env = process.env) {
  if (env.LABELLOOP_DETACHED === '1') return () => undefined
  const parent = process.ppid
  const timer = setInterval(() => {
    if (process.ppid === parent) return
    clearInterval(timer)
    onGone()
  }, POLL_MS)
  timer.unref()
  return () => clearInterval(timer)
}

/**
 * Supervises `child` (a ChildProcess): forwards signals to it, stops it (SIGTERM, then SIGKILL after
 * 5 s) when this process's parent goes away, and exits with the child's exit code, or re-raises the
 * signal that ended it.
 */
export function superviseChild(child) {
  const alive = () => child.exitCode === null && child.signalCode === null
  const handlers = FORWARDED_SIGNALS.map((signal) => [signal, () => alive() && child.kill(signal)])
  for (const [signal, handler] of handlers) process.on(signal, handler)
  const stopWatching = watchParent(() => {
    if (!alive()) return
    child.kill('SIGTERM')
    setTimeout(() => alive() && child.kill('SIGKILL'), KILL_AFTER_MS).unref()
  })
  child.on('exit', (code, signal) => {
    stopWatching()
    for (const [s, handler] of handlers) process.off(s, handler)
    if (signal) process.kill(process.pid, signal)
    else process.exit(code ?? 1)
  })
}
