/**
 * The review view's state: rounds, the filtered queue (sorted by review score), the selected
 * pseudo-label with its maps, and the actions (run a round, accept, reject, batch accept, roll back).
 * Re-reads after each action and when the project changes elsewhere.
 */
import { computed, onBeforeUnmount, ref, shallowRef } from 'vue'
import { toErrorDto, type ErrorDto, type Output, type PseudoStatus, type ReviewDetail, type ReviewItem, type RoundParams, type RoundSummary } from '../../../core/contract'
import { useClient } from '../../api'

export interface ReviewFilters {
  roundId: number | null
  status: PseudoStatus | 'all'
  classIndex: number | null
}

export function useReview() {
  const client = useClient()
  const rounds = shallowRef<RoundSummary[]>([])
  const items = shallowRef<ReviewItem[]>([])
  const total = ref(0)
  const filters = ref<ReviewFilters>({ roundId: null, status: 'all', classIndex: null })
  const selectedId = ref<number | null>(null)
  const detail = shallowRef<ReviewDetail | null>(null)
  const error = ref<ErrorDto | null>(null)
  const running = ref<{ done: number; total: number } | null>(null)
  const busy = ref(false)
  let shownAt = performance.now()
  let seq = 0

  const selected = computed(() => items.value.find((i) => i.id === selectedId.value) ?? null)

  async function guard<T>(work: () => Promise<T>): Promise<T | null> {
    try {
      const r = await work()
      error.value = null
      return r
    } catch (err) {
      error.value = toErrorDto(err)
      return null
    }
  }

  async function loadRounds(): Promise<void> {
    const r = await guard(() => client.invoke('rounds:list', {}))
    if (!r) return
    rounds.value = r
    if (filters.value.roundId === null || !r.some((x) => x.id === filters.value.roundId)) filters.value.roundId = r[0]?.id ?? null
  }

  async function loadQueue(): Promise<void> {
    const mine = ++seq
    const f = filters.value
    if (f.roundId === null) {
      items.value = []
      total.value = 0
      return
    }
    const page: Output<'review:list'> | null = await guard(() =>
      client.invoke('review:list', {
        roundId: f.roundId ?? undefined,
        status: f.status === 'all' ? undefined : [f.status],
        classIndex: f.classIndex ?? undefined,
        sort: 'score',
        limit: 500,
      }),
    )
    if (!page || mine !== seq) return
    items.value = page.items
    total.value = page.total
    if (!page.items.some((i) => i.id === selectedId.value)) await select(page.items[0]?.id ?? null)
  }

  async function reload(): Promise<void> {
    await loadRounds()
    await loadQueue()
    if (selectedId.value !== null) await select(selectedId.value)
  }

  async function select(id: number | null): Promise<void> {
    selectedId.value = id
    shownAt = performance.now()
    if (id === null) {
      detail.value = null
      return
    }
    const d = await guard(() => client.invoke('review:get', { id }))
    if (d && selectedId.value === id) detail.value = d
  }

  /** Moves the selection by `delta` in the grid order. */
  function move(delta: number): void {
    const list = items.value
    if (list.length === 0) return
    const at = list.findIndex((i) => i.id === selectedId.value)
    const next = Math.min(list.length - 1, Math.max(0, (at < 0 ? 0 : at) + delta))
    void select(list[next].id)
  }

  async function decide(decision: 'accept' | 'reject'): Promise<void> {
    const id = selectedId.value
    if (id === null || busy.value) return
    busy.value = true
    const ms = Math.round(performance.now() - shownAt)
    const at = items.value.findIndex((i) => i.id === id)
    const done = await guard(() => client.invoke('review:decide', { id, decision, ms }))
    busy.value = false
    if (!done) return
    await loadRounds()
    await loadQueue()
    const list = items.value
    const stay = list.findIndex((i) => i.id === id)
    const nextAt = stay >= 0 ? stay + 1 : at
    await select(list[Math.min(nextAt, list.length - 1)]?.id ?? null)
  }

  /** Runs a round and shows it; false (the reason in `error`, kept past the reload) when it failed. */
  async function startRound(params: RoundParams): Promise<boolean> {
    const jobId = `review-${Date.now()}`
    running.value = { done: 0, total: 0 }
    const off = client.on('predict:progress', (p) => {
      if (p.jobId === jobId) running.value = { done: p.done, total: p.total }
    })
    const r = await guard(() => client.invoke('rounds:start', { jobId, ...params }))
    const failed = r ? null : error.value
    off()
    running.value = null
    if (r) filters.value = { ...filters.value, roundId: r.roundId }
    await reload()
    if (failed) error.value = failed
    return r !== null
  }

  async function acceptAbove(score: number): Promise<number | null> {
    const roundId = filters.value.roundId
    if (roundId === null) return null
    const r = await guard(() => client.invoke('review:acceptAbove', { roundId, score }))
    await reload()
    return r ? r.accepted : null
  }

  async function rollback(roundId: number): Promise<void> {
    await guard(() => client.invoke('rounds:rollback', { roundId }))
    await reload()
  }

  const off = client.on('project:changed', (p) => {
    if (p.what === 'project' || p.what === 'classes') void reload()
  })
  onBeforeUnmount(off)

  return { rounds, items, total, filters, selectedId, selected, detail, error, running, busy, reload, loadQueue, select, move, decide, startRound, acceptAbove, rollback }
}

export type ReviewState = ReturnType<typeof useReview>
