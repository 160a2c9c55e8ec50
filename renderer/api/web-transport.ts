/**
 * Browser-mode transport: contract calls over `POST /api/call/<method>`, image renditions by URL, file
 * uploads into a batch folder on the host, and events over a WebSocket at `/api/events` that reconnects
 * with backoff. Authentication is the HttpOnly cookie the web host set when the page was opened with its
 * token, so every request only needs `credentials: 'same-origin'`.
 */
import { AppError, ErrorDto, fromErrorDto, type ImageRendition, type Input, type Method, type Output } from '../../core/contract'
import { EventFanout } from './emitter'
import { nextDelay } from './backoff'
import type { ConnectionState, PickedFile, RendererClient, TransferOptions } from './types'

/** The subset of WebSocket the transport uses, so tests can drive it without a server. */
export interface SocketLike {
  onopen: ((ev: Event) => void) | null
  onmessage: ((ev: MessageEvent) => void) | null
  onclose: ((ev: CloseEvent) => void) | null
  onerror: ((ev: Event) => void) | null
  close(): void
}

export interface WebTransportOptions {
  /** Origin plus path prefix of the web host, e.g. `http://127.0.0.1:4312` (default: the page's origin). */
  baseUrl: string
  fetch?: typeof fetch
  openSocket?: (url: string) => SocketLike
  /** How many uploads run at once. */
  uploadConcurrency?: number
  /** For tests: timers used by the reconnect backoff. */
  setTimer?: (fn: () => void, ms: number) => unknown
}

type Envelope = { ok: true; result: unknown } | { ok: false; error: unknown }

/** Reads a `{ok, result | error}` reply, turning anything else into an AppError that says what came back. */
async function readEnvelope(res: Response, what: string): Promise<unknown> {
  let body: Envelope
  try {
    body = (await res.json()) as Envelope
  } catch {
    const code = res.status === 401 || res.status === 403 ? 'FORBIDDEN' : 'INTERNAL'
    throw new AppError(code, `${what}: the web host answered HTTP ${res.status} without a LabelLoop reply`)
  }
  if (body && body.ok === true) return body.result
  const parsed = ErrorDto.safeParse(body && 'error' in body ? body.error : undefined)
  if (parsed.success) throw fromErrorDto(parsed.data)
  throw new AppError('INTERNAL', `${what}: malformed reply from the web host (HTTP ${res.status})`)
}

/** A short random id that also works outside secure contexts (plain http on a LAN host). */
export function randomId(): string {
  const bytes = new Uint8Array(8)
  crypto.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

export function createWebClient(options: WebTransportOptions): RendererClient {
  const base = options.baseUrl.replace(/\/+$/, '')
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init))
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms))
  const openSocket = options.openSocket ?? ((url) => new WebSocket(url))
  const fanout = new EventFanout()
  const connectionListeners = new Set<(state: ConnectionState) => void>()
  let socket: SocketLike | null = null
  let attempt = 0
  let state: ConnectionState = 'connecting'
  let everConnected = false

  function setState(next: ConnectionState): void {
    if (next === state) return
    state = next
    for (const l of [...connectionListeners]) l(next)
  }

  function connect(): void {
    const wsUrl = base.replace(/^http/, 'ws') + '/api/events'
    const ws = openSocket(wsUrl)
    socket = ws
    ws.onopen = () => {
      attempt = 0
      setState('live')
      // Events may have been missed while the socket was down: tell views to refresh.
      if (everConnected) fanout.emit('project:changed', { what: 'project' })
      everConnected = true
    }
    ws.onmessage = (ev) => {
      let msg: { event?: unknown; payload?: unknown }
      try {
        msg = JSON.parse(String(ev.data)) as { event?: unknown; payload?: unknown }
      } catch {
        return
      }
      if (typeof msg.event === 'string') fanout.emit(msg.event, msg.payload)
    }
    ws.onerror = () => undefined
    ws.onclose = () => {
      if (socket !== ws) return
      socket = null
      setState('connecting')
      const delay = nextDelay(attempt++)
      setTimer(() => {
        if (socket === null) connect()
      }, delay)
    }
  }

  function ensureSocket(): void {
    if (socket === null) connect()
  }

  async function upload(item: PickedFile, purpose: string, batch: string): Promise<string> {
    const params = new URLSearchParams({ purpose, batch, name: item.relPath })
    const res = await doFetch(`${base}/api/upload?${params.toString()}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/octet-stream' },
      body: item.file,
    })
    const result = (await readEnvelope(res, `Uploading ${item.relPath}`)) as { path: string; dir: string }
    return result.path
  }

  return {
    mode: 'browser',
    async invoke<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
      const res = await doFetch(`${base}/api/call/${encodeURIComponent(method)}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      })
      return (await readEnvelope(res, method)) as Output<M>
    },
    on(event, listener) {
      const off = fanout.add(event, listener)
      ensureSocket()
      return off
    },
    imageUrl(imageId: number, rendition: ImageRendition): string {
      return `${base}/api/images/${imageId}/${rendition}`
    },
    async transferFiles(files, purpose, opts: TransferOptions = {}) {
      const batch = randomId()
      const paths: string[] = new Array<string>(files.length)
      let next = 0
      let done = 0
      const worker = async (): Promise<void> => {
        while (next < files.length) {
          if (opts.signal?.aborted) throw new AppError('CANCELLED', 'Upload cancelled')
          const i = next++
          paths[i] = await upload(files[i], purpose, batch)
          done++
          opts.onProgress?.(done, files.length)
        }
      }
      const lanes = Math.max(1, Math.min(options.uploadConcurrency ?? 4, files.length))
      await Promise.all(Array.from({ length: lanes }, worker))
      return paths
    },
    filesToPaths(files, purpose) {
      return this.transferFiles(
        files.map((file) => ({ file, relPath: file.webkitRelativePath || file.name })),
        purpose,
      )
    },
    onConnection(listener) {
      connectionListeners.add(listener)
      ensureSocket()
      listener(state)
      return () => {
        connectionListeners.delete(listener)
      }
    },
    onMenu() {
      return () => undefined
    },
    dialogs: null,
  }
}
