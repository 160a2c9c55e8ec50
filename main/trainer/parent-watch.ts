/**
 * Noticing that the process which started this one has gone, for processes that must not outlive it:
 * the trainer (a trainer nobody listens to must not keep writing to the project) and the `labelloop`
 * command under a launcher. The parent pid is polled: once it changes the process was re-parented, so
 * its parent exited, whether or not it could say so (SIGKILL, a crash, npm exiting on SIGTERM).
 * `LABELLOOP_DETACHED=1` turns it off for a deliberately detached command (`nohup labelloop serve &`).
 */

const POLL_MS = 500

/** Calls `onGone` once when this process's parent pid changes; the timer never keeps the process alive. Returns a stop function. */
export function watchParent(onGone: () => void, env: Readonly<Record<string, string | undefined>> = process.env): () => void {
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
