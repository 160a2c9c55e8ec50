/**
 * State shared by the service handlers: the open project, event listeners and running imports. One
 * context per ServiceHost; handlers get it injected and never reach for globals.
 */
import { AppError, type EventName, type EventPayload } from '../../core/contract'
import type { ProjectStore } from '../../core/project'
import type { EventListener, ServiceHostOptions } from './host-types'

/** A running import: its cancel flag and the promise that settles when it has stopped. */
export interface ImportJob {
  jobId: string
  cancelled: boolean
  finished: Promise<unknown>
}

export class ServiceContext {
  private current: ProjectStore | null = null
  private readonly listeners = new Set<EventListener>()
  /** The running import, if any (one at a time). */
  importJob: ImportJob | null = null

  constructor(readonly opts: ServiceHostOptions) {}

  /** The open project, or null. */
  get store(): ProjectStore | null {
    return this.current
  }

  /** The open project; NO_PROJECT when none is open. */
  requireStore(): ProjectStore {
    if (!this.current || !this.current.isOpen) throw new AppError('NO_PROJECT', 'No project is open; create or open one first')
    return this.current
  }

  /** Makes `next` the open project, stopping work on the previous one and closing it. */
  async switchProject(next: ProjectStore | null): Promise<void> {
    const prev = this.current
    if (prev === next) return
    await this.stopImport()
    this.current = next
    prev?.close()
    this.emit('project:changed', { what: 'project' })
  }

  /** Cancels the running import and waits until it has stopped. */
  async stopImport(): Promise<void> {
    const job = this.importJob
    if (!job) return
    job.cancelled = true
    await job.finished.catch(() => undefined)
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Sends an event to every listener; a throwing listener does not stop the others or the caller. */
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(name, payload)
      } catch {
        // A transport's failure to deliver one event must not break the service that emitted it.
      }
    }
  }
}
