/**
 * The attack suite: a real `labelloop serve` process on 127.0.0.1 (the CLI, the real services, a real
 * project), attacked the ways a hostile web page or a local process could: no or wrong token, foreign
 * Origin, DNS-rebinding Host, path traversal on every route with a name or id, oversized bodies and
 * uploads, slow-loris clients, malformed WebSocket frames, a bounded flood. Every attack must be refused
 * or survived, and the server must keep answering the real client.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { killGroup } from '../../bench/reliability/crash/child'
import { writeSquaresProject } from '../services/training/test-project'
import { closedWithin, rawSocket, serve, upgradedSocket, type Served } from './attack-support'
import { makeRendererDir, send, type RawResponse } from './test-support/http-client'
import { startWebHost } from './web-host'
import { FakeServiceHost } from './test-support/fake-service-host'

let dir: string
let base: string
let s: Served
const auth = (): Record<string, string> => ({ 'X-LabelLoop-Token': s.token, 'Content-Type': 'application/json' })
const info = (headers: Record<string, string> = auth()): Promise<RawResponse> => send(s.port, { method: 'POST', path: '/api/call/app:info', headers, body: '{}' })

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'labelloop-attack-'))
  const made = await makeRendererDir()
  base = made.base
  symlinkSync(join(base, 'secret.txt'), join(made.rendererDir, 'assets', 'leak.txt'))
  await writeSquaresProject(join(dir, 'p.labelloop'), { count: 2, labeled: 1, size: 16 })
  mkdirSync(join(dir, 'home'))
  s = await serve('p.labelloop', dir, join(dir, 'home'), made.rendererDir)
}, 90_000)

afterAll(async () => {
  await killGroup(s.child)
  rmSync(dir, { recursive: true, force: true })
  rmSync(base, { recursive: true, force: true })
})

describe('labelloop serve under attack', () => {
  it('refuses every call without the right token (none, wrong, empty, in the query, in a wrong cookie)', async () => {
    const attempts = [
      info({}),
      info({ 'X-LabelLoop-Token': 'f'.repeat(64) }),
      info({ 'X-LabelLoop-Token': '' }),
      info({ 'X-LabelLoop-Token': s.token.slice(0, -1) }),
      send(s.port, { method: 'POST', path: `/api/call/app:info?token=${s.token}`, body: '{}' }),
      info({ Cookie: 'll_token=0000' }),
    ]
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(401)
    expect((await info()).status).toBe(200)
  })

  it('refuses the right token from a foreign Origin and under a DNS-rebinding Host', async () => {
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1.evil.example:${s.port}`, `https://127.0.0.1:${s.port}`, `http://127.0.0.1:${s.port + 1}`]) {
      expect((await info({ ...auth(), Origin: origin })).status, origin).toBe(403)
    }
    for (const host of ['evil.example', `evil.example:${s.port}`, `127.0.0.1.evil.example:${s.port}`, `localhost.evil:${s.port}`, `127.0.0.1:${s.port + 1}`, `[::1]:${s.port}`]) {
      expect((await send(s.port, { method: 'POST', path: '/api/call/app:info', headers: { ...auth(), Host: host }, body: '{}' })).status, host).toBe(403)
    }
    // No Host header at all, on a raw socket (an HTTP client always adds one).
    const bare = await rawSocket(s.port)
    bare.write(`POST /api/call/app:info HTTP/1.1\r\nX-LabelLoop-Token: ${s.token}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`)
    const reply = await new Promise<string>((resolve) => bare.once('data', (d: Buffer) => resolve(d.toString('latin1'))))
    bare.destroy()
    expect(reply).toMatch(/^HTTP\/1\.1 (400|403) /)
    expect((await info({ ...auth(), Origin: `http://127.0.0.1:${s.port}` })).status).toBe(200)
  })

  it('serves nothing outside the renderer on any spelling of traversal, on the static and every API route', async () => {
    const paths = [
      '/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/%2e%2e%2fsecret.txt', '/assets/../../secret.txt', '/assets/..%5c..%5csecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt', '//etc/passwd', '/%2fetc%2fpasswd', '/etc/passwd', '/assets/leak.txt', '/assets/%00app.js', `/${base}/secret.txt`,
      '/api/images/..%2f..%2fsecret/thumb', '/api/images/1/..%2f..%2fsecret.txt', '/api/images/-1/thumb', '/api/images/1e3/thumb', '/api/images/1/%2e%2e',
      '/api/call/..%2f..%2fapp:info', '/api/call/%2e%2e', '/api/../secret.txt',
    ]
    for (const path of paths) {
      const res = await send(s.port, { path, headers: auth() })
      expect(res.text, path).not.toContain('TOP SECRET')
      expect(res.text, path).not.toContain('root:x:0:0')
    }
    const upload = await send(s.port, { method: 'POST', path: '/api/upload?purpose=images&batch=..%2f..%2fx&name=..%2f..%2f..%2fevil.png', headers: auth(), body: 'x' })
    expect(upload.status).toBeGreaterThanOrEqual(400)
    const named = await send(s.port, { method: 'POST', path: `/api/upload?purpose=images&batch=${'a'.repeat(16)}&name=..%2f..%2f..%2fevil.png`, headers: auth(), body: 'x' })
    if (named.status === 200) expect(JSON.stringify(named.json())).not.toContain('..')
    for (const where of [join(base, 'evil.png'), join(dir, 'evil.png'), join(tmpdir(), 'evil.png')]) expect(existsSync(where), where).toBe(false)
  })

  it('refuses oversized bodies and uploads, declared or streamed', async () => {
    const declared = await send(s.port, { method: 'POST', path: '/api/call/app:info', headers: { ...auth(), 'Content-Length': String(10 ** 10) } })
    expect(declared.status).toBe(413)
    const streamed = await send(s.port, { method: 'POST', path: '/api/call/app:info', headers: { ...auth(), 'Transfer-Encoding': 'chunked' }, body: Buffer.alloc(65 * 1024 * 1024, 32) })
    expect(streamed.status).toBe(413)
    const upload = await send(s.port, { method: 'POST', path: `/api/upload?purpose=images&batch=${'b'.repeat(16)}&name=big.png`, headers: { ...auth(), 'Content-Length': String(5 * 1024 ** 3) } })
    expect(upload.status).toBe(413)
    expect((await info()).status).toBe(200)
  })

  it('keeps answering while 30 slow-loris clients trickle their headers', async () => {
    const slow = await Promise.all(Array.from({ length: 30 }, () => rawSocket(s.port)))
    for (const sock of slow) sock.write('POST /api/call/app:info HTTP/1.1\r\nHost: 127.0.0.1\r\n')
    for (let i = 0; i < 5; i++) {
      for (const sock of slow) if (!sock.destroyed) sock.write('X-Slow: 1\r\n')
      expect((await info()).status).toBe(200)
      await new Promise((r) => setTimeout(r, 100))
    }
    for (const sock of slow) sock.destroy()
  })

  it('closes a WebSocket that sends malformed frames, and goes on serving', async () => {
    const frames = [
      Buffer.from([0x81, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f]), // unmasked text frame (clients must mask)
      Buffer.from([0x83, 0x80, 1, 2, 3, 4]), // reserved opcode 3
      Buffer.from([0x82, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4]), // 2^63-byte payload declared
      Buffer.from([0xf1, 0x80, 1, 2, 3, 4]), // RSV bits set without an extension
      Buffer.from([0x09, 0x80, 1, 2, 3, 4]), // fragmented ping (control frames may not be fragmented)
    ]
    for (const frame of frames) {
      const ws = await upgradedSocket(s.port, s.token)
      ws.on('error', () => undefined)
      ws.write(frame)
      expect(await closedWithin(ws, 10_000), frame.toString('hex')).toBe(true)
      ws.destroy()
    }
    expect((await info()).status).toBe(200)
  })

  it('survives a bounded flood of 2,000 calls, 50 at a time, answering every one', async () => {
    const statuses = new Map<number, number>()
    for (let round = 0; round < 40; round++) {
      const batch = await Promise.all(Array.from({ length: 50 }, () => info()))
      for (const r of batch) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1)
    }
    expect([...statuses]).toEqual([[200, 2000]])
    expect(s.child.done()).toBe(false)
  })
})

describe('slow-loris, timed out', () => {
  it('drops a client that has not finished its headers within headersTimeoutMs', async () => {
    const made = await makeRendererDir()
    const web = await startWebHost({ host: new FakeServiceHost(), rendererDir: made.rendererDir, headersTimeoutMs: 500 })
    try {
      const sock = await rawSocket(web.port)
      sock.on('error', () => undefined)
      sock.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n')
      expect(await closedWithin(sock, 20_000)).toBe(true)
    } finally {
      await web.close()
      rmSync(made.base, { recursive: true, force: true })
    }
  })
})
