import { describe, expect, it } from 'vitest'
import { AppError } from '../../core/contract'
import { createWebClient, type SocketLike } from './web-transport'
import { nextDelay } from './backoff'

interface Sent {
  url: string
  init: RequestInit
}

function fakeFetch(reply: (url: string, init: RequestInit) => Response) {
  const sent: Sent[] = []
  const fn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push({ url: String(input), init: init ?? {} })
    return reply(String(input), init ?? {})
  }) as typeof fetch
  return { sent, fn }
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

class FakeSocket implements SocketLike {
  onopen: ((ev: Event) => void) | null = null
  onmessage: ((ev: MessageEvent) => void) | null = null
  onclose: ((ev: CloseEvent) => void) | null = null
  onerror: ((ev: Event) => void) | null = null
  closed = false
  constructor(readonly url: string) {}
  close(): void {
    this.closed = true
  }
  open(): void {
    this.onopen?.(new Event('open'))
  }
  send(event: string, payload: unknown): void {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify({ event, payload }) }))
  }
  drop(): void {
    this.onclose?.(new Event('close') as CloseEvent)
  }
}

describe('web transport', () => {
  it('posts a call as JSON with the cookie and returns the result', async () => {
    const f = fakeFetch(() => json({ ok: true, result: { version: '1', mode: 'browser', nativeDialogs: false, projectsDir: '/p' } }))
    const client = createWebClient({ baseUrl: 'http://127.0.0.1:9/', fetch: f.fn })
    const info = await client.invoke('app:info', {})
    expect(info.projectsDir).toBe('/p')
    expect(f.sent[0].url).toBe('http://127.0.0.1:9/api/call/app%3Ainfo')
    expect(f.sent[0].init.method).toBe('POST')
    expect(f.sent[0].init.credentials).toBe('same-origin')
    expect(JSON.parse(String(f.sent[0].init.body))).toEqual({})
  })

  it('throws the AppError the host reported, with its code and file', async () => {
    const f = fakeFetch(() =>
      json({ ok: false, error: { code: 'NOT_A_PROJECT', message: '/x/a.txt is not a LabelLoop project', file: '/x/a.txt' } }, 400),
    )
    const client = createWebClient({ baseUrl: 'http://h', fetch: f.fn })
    const err = await client.invoke('project:open', { path: '/x/a.txt' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('NOT_A_PROJECT')
    expect((err as AppError).file).toBe('/x/a.txt')
  })

  it('reports a refused request (no token cookie) as FORBIDDEN', async () => {
    const f = fakeFetch(() => new Response('Forbidden', { status: 403 }))
    const client = createWebClient({ baseUrl: 'http://h', fetch: f.fn })
    await expect(client.invoke('project:recent', {})).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })

  it('uploads files into one batch keeping relative paths, in order, with progress', async () => {
    const f = fakeFetch((url) => {
      const q = new URL(url).searchParams
      return json({ ok: true, result: { path: `/up/${q.get('batch')}/${q.get('name')}`, dir: `/up/${q.get('batch')}` } })
    })
    const client = createWebClient({ baseUrl: 'http://h', fetch: f.fn, uploadConcurrency: 2 })
    const progress: number[] = []
    const files = ['a/1.png', 'a/b/2.png', 'ü 3.png'].map((relPath) => ({ file: new File([relPath], relPath.split('/').pop() ?? ''), relPath }))
    const paths = await client.transferFiles(files, 'images', { onProgress: (done) => progress.push(done) })
    const batches = new Set(f.sent.map((s) => new URL(s.url).searchParams.get('batch')))
    expect(batches.size).toBe(1)
    const batch = [...batches][0]
    expect(paths).toEqual([`/up/${batch}/a/1.png`, `/up/${batch}/a/b/2.png`, `/up/${batch}/ü 3.png`])
    expect(new URL(f.sent[0].url).searchParams.get('purpose')).toBe('images')
    expect(progress).toEqual([1, 2, 3])
  })

  it('stops uploading when cancelled', async () => {
    const controller = new AbortController()
    const f = fakeFetch(() => {
      controller.abort()
      return json({ ok: true, result: { path: '/p', dir: '/' } })
    })
    const client = createWebClient({ baseUrl: 'http://h', fetch: f.fn, uploadConcurrency: 1 })
    const files = [1, 2, 3].map((i) => ({ file: new File(['x'], `${i}.png`), relPath: `${i}.png` }))
    await expect(client.transferFiles(files, 'images', { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(f.sent.length).toBe(1)
  })

  it('delivers socket events to listeners and reconnects with backoff, asking views to refresh', () => {
    const sockets: FakeSocket[] = []
    const timers: Array<{ fn: () => void; ms: number }> = []
    const client = createWebClient({
      baseUrl: 'http://127.0.0.1:5',
      fetch: fakeFetch(() => json({ ok: true, result: null })).fn,
      openSocket: (url) => {
        const s = new FakeSocket(url)
        sockets.push(s)
        return s
      },
      setTimer: (fn, ms) => timers.push({ fn, ms }),
    })
    const progress: number[] = []
    const changed: string[] = []
    const states: string[] = []
    client.on('import:progress', (p) => progress.push(p.done))
    client.on('project:changed', (p) => changed.push(p.what))
    client.onConnection((s) => states.push(s))
    expect(sockets.length).toBe(1)
    expect(sockets[0].url).toBe('ws://127.0.0.1:5/api/events')
    sockets[0].open()
    sockets[0].send('import:progress', { jobId: 'j', done: 3, total: 9, file: 'a', imported: 3, skipped: 0, failed: 0 })
    expect(progress).toEqual([3])
    expect(changed).toEqual([])

    sockets[0].drop()
    expect(timers.map((t) => t.ms)).toEqual([nextDelay(0)])
    timers[0].fn()
    sockets[1].drop()
    expect(timers.map((t) => t.ms)).toEqual([nextDelay(0), nextDelay(1)])
    timers[1].fn()
    sockets[2].open()
    expect(changed).toEqual(['project'])
    expect(states).toEqual(['connecting', 'live', 'connecting', 'live'])
  })

  it('backs off from half a second up to ten seconds', () => {
    expect([0, 1, 2, 3, 10].map(nextDelay)).toEqual([500, 1000, 2000, 4000, 10_000])
  })

  it('serves image renditions from the host by id', () => {
    const client = createWebClient({ baseUrl: 'http://h:1', fetch: fakeFetch(() => json({})).fn })
    expect(client.imageUrl(42, 'thumb')).toBe('http://h:1/api/images/42/thumb')
    expect(client.dialogs).toBeNull()
  })
})
