import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createApp } from 'vue'
import {
  PretrainConfig,
  TrainConfig,
  type EventName,
  type EventPayload,
  type Input,
  type Method,
  type Output,
  type PretrainSummary,
  type RunSummary,
  type TrainProgress,
} from '../../../core/contract'
import { installClient, type RendererClient } from '../../api'
import { useTrainStore } from '../../stores/train'
import { usePretrainStore } from './pretrain-store'
import { defaultPretrainForm } from './pretrain-options'

type Handler = (input: unknown) => unknown

/** A client whose calls answer from `handlers` and whose events the test emits; it records every call. */
function fakeClient(handlers: Partial<Record<Method, Handler>>) {
  const listeners = new Map<string, Array<(payload: unknown) => void>>()
  const calls: Array<{ method: Method; input: unknown }> = []
  const client: RendererClient = {
    mode: 'browser',
    async invoke<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
      calls.push({ method, input })
      const handler = handlers[method]
      if (!handler) throw new Error(`unexpected call ${method}`)
      return handler(input) as Output<M>
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      const list = listeners.get(event) ?? []
      list.push(listener as (payload: unknown) => void)
      listeners.set(event, list)
      return () => undefined
    },
    imageUrl: () => '',
    filesToPaths: async () => [],
    dialogs: null,
    transferFiles: async () => [],
    onConnection: () => () => undefined,
    onMenu: () => () => undefined,
  }
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>): void => {
    for (const l of listeners.get(event) ?? []) l(payload)
  }
  return { client, calls, emit }
}

function pretrainRun(over: Partial<PretrainSummary> = {}): PretrainSummary {
  return {
    id: 4, status: 'running', config: PretrainConfig.parse({ epochs: 2 }), backend: 'wasm', device: 'cpu',
    startedAt: '2025-03-04T14:00:00Z', finishedAt: null, losses: [], images: 40, seconds: 0, hasEncoder: false, error: null, ...over,
  }
}

function trainRun(id: number): RunSummary {
  return {
    id, status: 'completed', config: TrainConfig.parse({}), backend: 'wasm', device: 'cpu', startedAt: '2025-03-04T13:00:00Z',
    finishedAt: '2025-03-04T13:10:00Z', epochs: [], best: null, error: null, active: false,
  }
}

const progress = (runId: number, batch: number): TrainProgress => ({
  runId, phase: 'training', epoch: 1, epochs: 2, batch, batches: 10, loss: 4, imagesPerSecond: 3, etaSeconds: 9,
})

/** Lets pending promise callbacks run. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve()
}

describe('pretrain store', () => {
  let latest: PretrainSummary | null
  let fake: ReturnType<typeof fakeClient>

  beforeEach(() => {
    vi.useFakeTimers()
    latest = null
    fake = fakeClient({
      'pretrain:latest': () => latest,
      'pretrain:start': () => {
        latest = pretrainRun({ backend: null, device: null })
        return { runId: 4 }
      },
      'train:cancel': () => null,
      'runs:list': () => [trainRun(2)],
      'balance:get': () => ({ recommendation: null, warnings: [] }),
    })
    const app = createApp({})
    installClient(app, fake.client)
    setActivePinia(createPinia())
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('starts with the form, follows the progress of its run, and reads the summary back when it ends', async () => {
    const store = usePretrainStore()
    await store.load()
    expect(store.latest).toBeNull()
    const form = { ...defaultPretrainForm(), epochs: 2, stepsPerEpoch: 10 }
    expect(await store.start(form)).toBe(4)
    expect(fake.calls.find((c) => c.method === 'pretrain:start')?.input).toMatchObject({ epochs: 2, stepsPerEpoch: 10 })
    expect(store.running).toMatchObject({ id: 4, backend: null })

    // The trainer has chosen its backend by its first progress: the run is read back to show it.
    latest = pretrainRun()
    fake.emit('train:progress', progress(4, 1))
    fake.emit('train:progress', progress(4, 2))
    await vi.runAllTimersAsync()
    expect(store.progress?.batch).toBe(2)
    expect(store.running?.backend).toBe('wasm')

    latest = pretrainRun({ status: 'completed', losses: [4.2, 3.9], hasEncoder: true, finishedAt: '2025-03-04T14:02:00Z' })
    fake.emit('train:status', { runId: 4, status: 'completed', error: null, run: null })
    await settle()
    expect(store.running).toBeNull()
    expect(store.progress).toBeNull()
    expect(store.latest?.losses).toEqual([4.2, 3.9])
    expect(store.encoder?.id).toBe(4)
  })

  it('looks an unknown run up once, so a training run costs one read and a pretraining started elsewhere is followed', async () => {
    const store = usePretrainStore()
    await store.load()
    const reads = (): number => fake.calls.filter((c) => c.method === 'pretrain:latest').length
    fake.emit('train:progress', progress(2, 1))
    fake.emit('train:progress', progress(2, 2))
    await settle()
    expect(reads()).toBe(2)
    expect(store.progress).toBeNull()

    latest = pretrainRun({ id: 7 })
    fake.emit('train:status', { runId: 7, status: 'running', error: null, run: null })
    await settle()
    expect(store.running?.id).toBe(7)
    fake.emit('train:progress', progress(7, 3))
    await vi.runAllTimersAsync()
    expect(store.progress?.runId).toBe(7)
    expect(reads()).toBe(3)

    await store.cancel()
    expect(fake.calls.at(-1)).toEqual({ method: 'train:cancel', input: { runId: 7 } })
  })

  it('keeps the older encoder when a newer pretraining is cancelled', async () => {
    const store = usePretrainStore()
    latest = pretrainRun({ id: 4, status: 'completed', hasEncoder: true, losses: [3] })
    await store.load()
    latest = pretrainRun({ id: 6, status: 'cancelled' })
    fake.emit('train:status', { runId: 6, status: 'cancelled', error: null, run: null })
    await settle()
    expect(store.latest?.id).toBe(6)
    expect(store.encoder?.id).toBe(4)
  })

  it('lets the train store ignore pretraining events after one list read', async () => {
    const train = useTrainStore()
    await train.load()
    const lists = (): number => fake.calls.filter((c) => c.method === 'runs:list').length
    expect(lists()).toBe(1)
    fake.emit('train:status', { runId: 9, status: 'running', error: null, run: null })
    for (let b = 1; b <= 5; b++) fake.emit('train:progress', progress(9, b))
    await vi.runAllTimersAsync()
    expect(lists()).toBe(2)
    expect(train.progress).toBeNull()
    fake.emit('train:progress', progress(9, 6))
    fake.emit('train:status', { runId: 9, status: 'completed', error: null, run: null })
    await vi.runAllTimersAsync()
    expect(lists()).toBe(2)
    expect(train.runs.map((r) => r.id)).toEqual([2])

    // A known training run's progress still shows.
    fake.emit('train:progress', progress(2, 4))
    await vi.runAllTimersAsync()
    expect(train.progress?.runId).toBe(2)
  })
})
