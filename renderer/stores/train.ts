/**
 * Training as the UI sees it: every run of the open project, the running one's live progress and
 * epochs, and the class balance's recommended preset. Lives app-wide so a run keeps being followed
 * while the user paints or browses elsewhere. Progress events are coalesced to at most four UI updates
 * a second; epochs (one per epoch) are applied as they come. An event about a run not in the list (a
 * run started elsewhere, or a pretraining run, which runs:list leaves out) re-reads the list once; a run
 * still missing from it is another kind of job, whose events are ignored from then on (the Train view's
 * pretrain store follows pretraining). Actions report failures in `error`.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import {
  toErrorDto,
  type ErrorDto,
  type EventPayload,
  type Output,
  type RunSummary,
  type TrainConfigPatch,
  type TrainProgress,
} from '../../core/contract'
import { useClient } from '../api'
import { adoptedNotice } from './train-notice'

/** Milliseconds between two progress updates of the UI. */
const PROGRESS_INTERVAL_MS = 250

export type Recommendation = Output<'balance:get'>['recommendation']

export const useTrainStore = defineStore('train', () => {
  const client = useClient()
  const runs = shallowRef<RunSummary[]>([])
  const progress = shallowRef<TrainProgress | null>(null)
  /** When (ms since epoch) the current epoch of the running run began, for the per-epoch estimate. */
  const epochStartedAt = ref<number | null>(null)
  const recommendation = shallowRef<Recommendation | null>(null)
  const balanceWarnings = shallowRef<string[]>([])
  const error = ref<ErrorDto | null>(null)
  /** A plain-language note about something the services did on their own (a cancelled run made the model). */
  const notice = ref<string | null>(null)
  const starting = ref(false)
  const loaded = ref(false)

  const running = computed(() => runs.value.find((r) => r.status === 'running' || r.status === 'queued') ?? null)
  const active = computed(() => runs.value.find((r) => r.active) ?? null)

  function replace(run: RunSummary): void {
    const i = runs.value.findIndex((r) => r.id === run.id)
    runs.value = i < 0 ? [run, ...runs.value].sort((a, b) => b.id - a.id) : runs.value.map((r) => (r.id === run.id ? run : r))
  }

  function patchRun(id: number, change: (run: RunSummary) => RunSummary): boolean {
    const run = runs.value.find((r) => r.id === id)
    if (!run) return false
    replace(change(run))
    return true
  }

  async function guard<T>(action: () => Promise<T>): Promise<T | null> {
    error.value = null
    try {
      return await action()
    } catch (err) {
      error.value = toErrorDto(err)
      return null
    }
  }

  /** Re-reads the runs and the recommended preset of the open project. */
  async function load(): Promise<void> {
    await guard(async () => {
      const [list, balance] = await Promise.all([client.invoke('runs:list', {}), client.invoke('balance:get', {})])
      runs.value = list
      foreign.clear()
      recommendation.value = balance.recommendation
      balanceWarnings.value = balance.warnings
      if (!list.some((r) => r.status === 'running' || r.status === 'queued')) progress.value = null
    })
    loaded.value = true
  }

  /** Status events seen per run: a runs:get answer older than the latest status event is dropped. */
  const statusSeen = new Map<number, number>()

  /** Re-reads the list; false when the answer was dropped (failed, or overtaken by a status event). */
  async function listRuns(): Promise<boolean> {
    const seen = [...statusSeen.values()].reduce((a, b) => a + b, 0)
    const list = await guard(() => client.invoke('runs:list', {}))
    if (!list || [...statusSeen.values()].reduce((a, b) => a + b, 0) !== seen) return false
    runs.value = list
    return true
  }

  /** Run ids that are not training runs (pretraining): their events are not this store's. */
  const foreign = new Set<number>()
  const lookingUp = new Set<number>()
  const known = (id: number): boolean => runs.value.some((r) => r.id === id)

  /** Re-reads the list for an event about run `id` it lacks; marks `id` foreign if it is still missing. */
  async function lookUp(id: number): Promise<void> {
    if (lookingUp.has(id)) return
    lookingUp.add(id)
    try {
      if ((await listRuns()) && !known(id)) foreign.add(id)
    } finally {
      lookingUp.delete(id)
    }
  }

  async function refreshRun(id: number): Promise<void> {
    const seen = statusSeen.get(id) ?? 0
    await guard(async () => {
      const fresh = await client.invoke('runs:get', { id })
      if ((statusSeen.get(id) ?? 0) !== seen) return
      const local = runs.value.find((r) => r.id === id)
      // An epoch event may overtake this read; keep the epochs already shown.
      const stale = local && fresh.status === 'running' && local.epochs.length > fresh.epochs.length
      replace(stale ? { ...fresh, epochs: local.epochs } : fresh)
    })
  }

  /** Starts a run; returns its id, or null (with `error` set) when the service refused. */
  async function start(patch: TrainConfigPatch): Promise<number | null> {
    starting.value = true
    try {
      const res = await guard(() => client.invoke('train:start', patch))
      if (!res) return null
      notice.value = null
      progress.value = null
      epochStartedAt.value = Date.now()
      await refreshRun(res.runId)
      return res.runId
    } finally {
      starting.value = false
    }
  }

  async function resume(id: number): Promise<void> {
    const res = await guard(() => client.invoke('train:resume', { runId: id }))
    if (res) await refreshRun(res.runId)
  }

  async function cancel(): Promise<void> {
    await guard(() => client.invoke('train:cancel', { runId: running.value?.id }))
  }

  async function setActive(id: number): Promise<void> {
    const run = await guard(() => client.invoke('runs:setActive', { id }))
    if (run) runs.value = runs.value.map((r) => (r.id === run.id ? run : { ...r, active: false }))
  }

  async function remove(id: number): Promise<void> {
    const res = await guard(() => client.invoke('runs:delete', { id }))
    if (res) runs.value = runs.value.filter((r) => r.id !== id)
  }

  let pending: TrainProgress | null = null
  let timer: ReturnType<typeof setTimeout> | null = null
  let lastRefresh = 0
  /** Re-reads a running run whose backend is not known yet (the trainer records it once chosen), every 2 s at most. */
  function refreshIfUnknown(runId: number): void {
    const run = runs.value.find((r) => r.id === runId)
    if (!run || run.backend !== null || Date.now() - lastRefresh < 2000) return
    lastRefresh = Date.now()
    void refreshRun(runId)
  }

  function flushProgress(): void {
    timer = null
    if (!pending) return
    refreshIfUnknown(pending.runId)
    if (progress.value?.epoch !== pending.epoch || progress.value.runId !== pending.runId) epochStartedAt.value = Date.now()
    progress.value = pending
    pending = null
  }

  function onProgress(p: TrainProgress): void {
    if (foreign.has(p.runId)) return
    if (!known(p.runId)) return void lookUp(p.runId)
    pending = p
    if (running.value?.id !== p.runId) patchRun(p.runId, (r) => (r.status === 'queued' ? { ...r, status: 'running' } : r))
    if (!timer) timer = setTimeout(flushProgress, progress.value ? PROGRESS_INTERVAL_MS : 0)
  }

  function onEpoch(e: EventPayload<'train:epoch'>): void {
    if (foreign.has(e.runId)) return
    const found = patchRun(e.runId, (r) => ({ ...r, epochs: [...r.epochs.filter((x) => x.epoch !== e.metrics.epoch), e.metrics] }))
    if (!found) return void lookUp(e.runId)
    // The service also updates the run's best epoch: read it back.
    void refreshRun(e.runId)
    epochStartedAt.value = Date.now()
  }

  function onStatus(s: EventPayload<'train:status'>): void {
    if (foreign.has(s.runId)) return
    statusSeen.set(s.runId, (statusSeen.get(s.runId) ?? 0) + 1)
    notice.value = adoptedNotice(s, active.value) ?? notice.value
    if (s.run) replace(s.run)
    else if (!patchRun(s.runId, (r) => ({ ...r, status: s.status, error: s.error }))) return void lookUp(s.runId)
    if (s.status === 'running' || s.status === 'queued') return
    // A finished run may become the active model (the newest finished one is, unless one was chosen).
    void listRuns()
    if (progress.value?.runId === s.runId || pending?.runId === s.runId) {
      pending = null
      progress.value = null
    }
  }


  client.on('train:progress', onProgress)
  client.on('train:epoch', onEpoch)
  client.on('train:status', onStatus)
  client.on('project:changed', (c) => {
    if (c.what === 'project') void load()
  })

  return {
    runs,
    progress,
    epochStartedAt,
    recommendation,
    balanceWarnings,
    error,
    notice,
    starting,
    loaded,
    running,
    active,
    load,
    refreshRun,
    start,
    resume,
    cancel,
    setActive,
    remove,
  }
})
