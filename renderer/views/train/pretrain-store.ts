/**
 * Self-supervised pretraining as the Train view sees it: the project's newest pretraining run (from
 * `pretrain:latest`), the encoder training runs would start from, and the running one's live progress.
 * Pretraining reports through the training events with `run: null`; an event about a run id this store
 * has not seen makes it re-read the newest pretraining run once, so a pretraining started elsewhere is
 * followed too, and training runs' events cost one look-up each. Progress is coalesced to at most four
 * UI updates a second. App-wide (Pinia) so a pretraining keeps being followed while the user paints.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { toErrorDto, type ErrorDto, type EventPayload, type PretrainSummary, type TrainProgress } from '../../../core/contract'
import { useClient } from '../../api'
import { knownEncoder, pretrainInput, type PretrainForm } from './pretrain-options'

/** Milliseconds between two progress updates of the UI. */
const PROGRESS_INTERVAL_MS = 250

export const usePretrainStore = defineStore('pretrain', () => {
  const client = useClient()
  const latest = shallowRef<PretrainSummary | null>(null)
  /** The run whose encoder `init: 'pretrained'` loads (the newest completed one known), or null. */
  const encoder = shallowRef<PretrainSummary | null>(null)
  const progress = shallowRef<TrainProgress | null>(null)
  const error = ref<ErrorDto | null>(null)
  const starting = ref(false)
  const running = computed(() => {
    const run = latest.value
    return run && (run.status === 'running' || run.status === 'queued') ? run : null
  })

  /** Run ids already looked up: pretraining or training runs, their events need no new look-up. */
  const seen = new Set<number>()
  let reads = 0

  /** Re-reads the newest pretraining run; an answer overtaken by a later read is dropped. */
  async function load(): Promise<void> {
    const read = ++reads
    try {
      const run = await client.invoke('pretrain:latest', {})
      if (read !== reads) return
      if (run) seen.add(run.id)
      encoder.value = knownEncoder(run, encoder.value)
      latest.value = run
      if (!run || (run.status !== 'running' && run.status !== 'queued')) clearProgress()
    } catch (err) {
      if (read === reads) error.value = toErrorDto(err)
    }
  }

  /** Starts pretraining with the panel's options; returns its run id, or null (with `error` set). */
  async function start(form: PretrainForm): Promise<number | null> {
    starting.value = true
    error.value = null
    try {
      const { runId } = await client.invoke('pretrain:start', pretrainInput(form))
      seen.add(runId)
      clearProgress()
      await load()
      return runId
    } catch (err) {
      error.value = toErrorDto(err)
      return null
    } finally {
      starting.value = false
    }
  }

  /** Asks the running pretraining to stop (it does within a step; nothing is stored). */
  async function cancel(): Promise<void> {
    const run = running.value
    if (!run) return
    error.value = null
    try {
      await client.invoke('train:cancel', { runId: run.id })
    } catch (err) {
      error.value = toErrorDto(err)
    }
  }

  let pending: TrainProgress | null = null
  let timer: ReturnType<typeof setTimeout> | null = null

  function clearProgress(): void {
    pending = null
    progress.value = null
  }

  let lastRefresh = 0
  function flush(): void {
    timer = null
    if (pending && pending.runId === running.value?.id) {
      progress.value = pending
      // The trainer records its backend once chosen, after the run's start was read: read it back (every 2 s at most).
      if (running.value.backend === null && Date.now() - lastRefresh >= 2000) {
        lastRefresh = Date.now()
        void load()
      }
    }
    pending = null
  }

  /** A run id not looked up yet: read the newest pretraining run once to learn whether it is one. */
  function lookUp(runId: number): void {
    if (seen.has(runId)) return
    seen.add(runId)
    void load()
  }

  function onProgress(p: TrainProgress): void {
    if (p.runId !== latest.value?.id) return lookUp(p.runId)
    if (!running.value) return
    pending = p
    if (!timer) timer = setTimeout(flush, progress.value ? PROGRESS_INTERVAL_MS : 0)
  }

  function onStatus(s: EventPayload<'train:status'>): void {
    if (s.run !== null) return
    if (s.runId === latest.value?.id || !seen.has(s.runId)) {
      seen.add(s.runId)
      void load()
    }
  }

  /** Forgets the previous project's runs and reads the open one's. */
  async function reset(): Promise<void> {
    seen.clear()
    latest.value = null
    encoder.value = null
    clearProgress()
    await load()
  }

  client.on('train:progress', onProgress)
  client.on('train:status', onStatus)
  client.on('project:changed', (c) => {
    if (c.what === 'project') void reset()
  })

  return { latest, encoder, progress, error, starting, running, load, reset, start, cancel }
})
