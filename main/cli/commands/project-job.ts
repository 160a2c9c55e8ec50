/**
 * What the long-running commands (train, pretrain, predict) share: a service host with the project
 * open, the job's event listeners and Ctrl+C handler removed and the host closed however the job ends,
 * failures reported the way every command reports them, and waiting for a run's final status.
 */
import { resolve } from 'node:path'
import type { EventName, EventPayload } from '../../../core/contract'
import type { ServiceHost } from '../../services/host-types'
import type { CommandContext } from '../output'
import { requireProjectFile } from './info'

/** A job's view of its host: listeners and the Ctrl+C handler it registers are removed when it ends. */
export interface ProjectJob {
  host: ServiceHost
  path: string
  onEvent(listener: (name: EventName, payload: unknown) => void): void
  onInterrupt(handler: () => void): void
}

/**
 * Runs `job` against the project `file` (relative to the working directory) in a fresh CLI service host;
 * returns the job's exit code, or the failure's (with the message naming the file).
 */
export async function runProjectJob(ctx: CommandContext, file: string, job: (j: ProjectJob) => Promise<number>): Promise<number> {
  const path = resolve(ctx.io.cwd, file)
  try {
    requireProjectFile(path)
    const host = await ctx.createHost('cli')
    const undo: (() => void)[] = []
    try {
      await host.dispatch('project:open', { path })
      return await job({
        host,
        path,
        onEvent: (listener) => undo.push(host.onEvent(listener)),
        onInterrupt: (handler) => undo.push(ctx.io.onInterrupt(handler)),
      })
    } finally {
      for (const off of undo) off()
      await host.close()
    }
  } catch (err) {
    return ctx.out.fail(err, path)
  }
}

/** Resolves with the final train:status (completed, cancelled or failed) of the run `runId()` names once known. */
export function runFinished(j: ProjectJob, runId: () => number | null): Promise<EventPayload<'train:status'>> {
  return new Promise((done) => {
    j.onEvent((name, payload) => {
      if (name !== 'train:status') return
      const s = payload as EventPayload<'train:status'>
      if (s.runId === runId() && s.status !== 'running' && s.status !== 'queued') done(s)
    })
  })
}

/** On the first Ctrl+C once the run is known, says `message` and asks the host to cancel the run (within a batch). */
export function cancelRunOnInterrupt(ctx: CommandContext, j: ProjectJob, runId: () => number | null, message: string): void {
  let cancelling = false
  j.onInterrupt(() => {
    const id = runId()
    if (cancelling || id === null) return
    cancelling = true
    ctx.out.progress(message)
    j.host.dispatch('train:cancel', { runId: id }).catch(() => undefined)
  })
}
