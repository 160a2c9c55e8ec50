/**
 * When to save the mask, without Vue or the DOM so it is tested with fake timers. After a change the
 * mask is saved once the user has been idle for `idleMs` (about a second), and at the latest `maxWaitMs`
 * after the first unsaved change, so continuous painting is never far from disk. One save runs at a
 * time; a change made while saving is saved by the next one. A failed save shows as an error and is
 * retried after `retryMs`. `flush()` saves now (image switch, leaving the view, Ctrl+S).
 */

/** What the user sees about the mask's storage. */
export type SaveStatus =
  | { kind: 'saved' }
  | { kind: 'dirty' }
  | { kind: 'saving' }
  | { kind: 'error'; message: string }

/** Timer functions, injectable for tests. */
export interface Timers {
  set(fn: () => void, ms: number): unknown
  clear(handle: unknown): void
}

export interface AutosaveOptions {
  /** Stores the current content; resolves once stored (the caller marks that version saved), throws on failure. */
  save: () => Promise<void>
  /** True while there are changes that are not stored. */
  isDirty: () => boolean
  /** Called whenever the status changes. */
  onStatus?: (status: SaveStatus) => void
  idleMs?: number
  maxWaitMs?: number
  retryMs?: number
  timers?: Timers
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
}

/** The autosave scheduler; see the module comment. */
export class Autosave {
  private readonly idleMs: number
  private readonly maxWaitMs: number
  private readonly retryMs: number
  private readonly timers: Timers
  private idleTimer: unknown = null
  private maxTimer: unknown = null
  private running: Promise<void> | null = null
  private failed = false
  private disposed = false
  private _status: SaveStatus = { kind: 'saved' }

  constructor(private readonly options: AutosaveOptions) {
    this.idleMs = options.idleMs ?? 1000
    this.maxWaitMs = options.maxWaitMs ?? 5000
    this.retryMs = options.retryMs ?? 5000
    this.timers = options.timers ?? realTimers
  }

  get status(): SaveStatus {
    return this._status
  }

  /** True while a save is in flight. */
  get saving(): boolean {
    return this.running !== null
  }

  /** Call after every change of the mask (or of its saved state): (re)starts the idle countdown. */
  changed(): void {
    if (this.disposed) return
    if (!this.options.isDirty()) {
      this.clearTimers()
      if (!this.running && !this.failed) this.setStatus({ kind: 'saved' })
      return
    }
    if (!this.running && !this.failed) this.setStatus({ kind: 'dirty' })
    if (this.idleTimer !== null) this.timers.clear(this.idleTimer)
    this.idleTimer = this.timers.set(() => this.fire(), this.failed ? this.retryMs : this.idleMs)
    if (this.maxTimer === null) this.maxTimer = this.timers.set(() => this.fire(), Math.max(this.idleMs, this.maxWaitMs))
  }

  /**
   * Saves now if anything is unsaved, after any save already running. Resolves true when everything
   * is stored, false when a save failed (the status then says why).
   */
  async flush(): Promise<boolean> {
    this.clearTimers()
    for (let attempt = 0; attempt < 3; attempt++) {
      if (this.running) await this.running
      if (!this.options.isDirty()) return true
      if (!(await this.run())) return false
    }
    return !this.options.isDirty()
  }

  /** Stops all timers; later changes are ignored. A save in flight still completes. */
  dispose(): void {
    this.disposed = true
    this.clearTimers()
  }

  private fire(): void {
    this.clearTimers()
    if (this.running) return
    void this.run()
  }

  /** One save; resolves true on success. Schedules the follow-up (more changes, or a retry). */
  private run(): Promise<boolean> {
    this.setStatus({ kind: 'saving' })
    let ok = false
    const job = (async () => {
      try {
        await this.options.save()
        ok = true
        this.failed = false
      } catch (err) {
        this.failed = true
        this.setStatus({ kind: 'error', message: err instanceof Error ? err.message : String(err) })
      }
    })()
    this.running = job
    return job.then(() => {
      this.running = null
      if (ok) this.setStatus({ kind: this.options.isDirty() ? 'dirty' : 'saved' })
      if (!this.disposed && this.options.isDirty()) this.changed()
      return ok
    })
  }

  private clearTimers(): void {
    if (this.idleTimer !== null) this.timers.clear(this.idleTimer)
    if (this.maxTimer !== null) this.timers.clear(this.maxTimer)
    this.idleTimer = null
    this.maxTimer = null
  }

  private setStatus(status: SaveStatus): void {
    const same = status.kind === this._status.kind && (status.kind !== 'error' || (this._status.kind === 'error' && status.message === this._status.message))
    if (same) return
    this._status = status
    this.options.onStatus?.(status)
  }
}
