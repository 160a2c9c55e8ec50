/**
 * The gallery's "Label next" list: one suggest:run per listing (started on first need, shared by every
 * page the grid asks for), its progress from `suggest:progress`, and a cancel of the running job when the
 * listing restarts (new filter, changed project).
 */
import { reactive } from 'vue'
import type { SuggestResult, Suggestion } from '../../core/contract'
import type { RendererClient } from '../api'

/** Suggestions fetched for the gallery: enough for any project's unlabeled images (the contract's cap). */
export const GALLERY_LIMIT = 5000

export interface LabelNextState {
  running: boolean
  done: number
  total: number
  /** The finished ranking's mode and note (null before it finished). */
  result: Pick<SuggestResult, 'mode' | 'note' | 'candidates' | 'runId'> | null
}

let jobSeq = 0

export function labelNextList(client: RendererClient) {
  const state = reactive<LabelNextState>({ running: false, done: 0, total: 0, result: null })
  let job: { id: string; items: Promise<Suggestion[]> } | null = null

  client.on('suggest:progress', (p) => {
    if (job && p.jobId === job.id) Object.assign(state, { done: p.done, total: p.total })
  })

  function start(): { id: string; items: Promise<Suggestion[]> } {
    const id = `gallery-${Date.now().toString(36)}-${++jobSeq}`
    Object.assign(state, { running: true, done: 0, total: 0, result: null })
    const items = client.invoke('suggest:run', { jobId: id, limit: GALLERY_LIMIT }).then(
      (r) => {
        if (job?.id === id) Object.assign(state, { running: false, result: { mode: r.mode, note: r.note, candidates: r.candidates, runId: r.runId } })
        return r.items
      },
      (err: unknown) => {
        if (job?.id === id) state.running = false
        throw err
      },
    )
    return { id, items }
  }

  /** The current listing's suggestions, best first (runs the ranking once per listing). */
  function items(): Promise<Suggestion[]> {
    job ??= start()
    return job.items
  }

  /** Forgets the list; a ranking still running is cancelled. */
  function reset(): void {
    if (job && state.running) void client.invoke('suggest:cancel', { jobId: job.id }).catch(() => undefined)
    job = null
    Object.assign(state, { running: false, done: 0, total: 0, result: null })
  }

  return { state, items, reset }
}
