import { existsSync } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import { dirname, join, sep } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { FakeServiceHost } from './test-support/fake-service-host'
import { makeRendererDir, send } from './test-support/http-client'
import { sanitiseRelativePath } from './upload'
import { startWebHost, type WebHost } from './index'

let base: string
let services: FakeServiceHost
let web: WebHost

beforeEach(async () => {
  const made = await makeRendererDir()
  base = made.base
  services = new FakeServiceHost()
  web = await startWebHost({ host: services, rendererDir: made.rendererDir, maxUploadBytes: 1000 })
})

afterEach(async () => {
  await web.close()
  await rm(base, { recursive: true, force: true })
})

function upload(query: string, body: Buffer | string, token = web.token): ReturnType<typeof send> {
  return send(web.port, { method: 'POST', path: `/api/upload?${query}`, headers: { 'X-LabelLoop-Token': token }, body })
}

describe('sanitiseRelativePath', () => {
  it('keeps nested relative names and refuses anything that could leave the folder', () => {
    expect(sanitiseRelativePath('a/b\\c.png')).toEqual(['a', 'b', 'c.png'])
    expect(sanitiseRelativePath('tiles/ñandú 1.tif')).toEqual(['tiles', 'ñandú 1.tif'])
    if (process.platform !== 'win32') expect(sanitiseRelativePath('2024-05-01T10:00.png')).toEqual(['2024-05-01T10:00.png'])
    for (const bad of ['', '../x.png', 'a/../../x.png', '/etc/passwd', '\\\\server\\share\\x', 'C:\\x.png', 'c:/x.png', 'a/./b', 'dir/', 'a\u0000b', 'a\nb']) {
      expect(() => sanitiseRelativePath(bad), bad).toThrow(/Upload name/)
    }
  })
})

describe('/api/upload', () => {
  it('writes the file into a per-batch folder and returns its path and the folder', async () => {
    const name = encodeURIComponent('field 1/tile-ä.png')
    const res = await upload(`purpose=images&batch=b1&name=${name}`, Buffer.from([1, 2, 3]))
    expect(res.status).toBe(200)
    const { result } = res.json() as { result: { path: string; dir: string } }
    expect(result.dir.endsWith(`${sep}images${sep}b1`)).toBe(true)
    expect(result.path).toBe(join(result.dir, 'field 1', 'tile-ä.png'))
    expect([...(await readFile(result.path))]).toEqual([1, 2, 3])
    const mask = await upload(`purpose=masks&batch=b1&name=${encodeURIComponent('tile-ä.png')}`, 'm')
    const maskResult = (mask.json() as { result: { path: string; dir: string } }).result
    expect(maskResult.dir).not.toBe(result.dir)
    expect(dirname(maskResult.path)).toBe(maskResult.dir)
    await web.close()
    expect(existsSync(result.path)).toBe(false)
    expect(existsSync(dirname(dirname(result.dir)))).toBe(false)
  })

  it('refuses traversal, bad batches and purposes, oversize files and missing tokens', async () => {
    const cases: [string, number][] = [
      [`purpose=images&batch=b&name=${encodeURIComponent('../../escape.png')}`, 400],
      [`purpose=images&batch=b&name=${encodeURIComponent('/tmp/abs.png')}`, 400],
      [`purpose=images&batch=b&name=${encodeURIComponent('a\\..\\..\\x.png')}`, 400],
      [`purpose=images&batch=..&name=x.png`, 400],
      [`purpose=images&batch=${encodeURIComponent('a/b')}&name=x.png`, 400],
      [`purpose=models&batch=b&name=x.png`, 400],
      [`purpose=images&batch=b`, 400],
    ]
    for (const [query, status] of cases) {
      const res = await upload(query, 'data')
      expect(res.status, query).toBe(status)
      expect(res.json(), query).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    }
    const big = await upload('purpose=images&batch=b&name=big.png', Buffer.alloc(1001))
    expect(big.status).toBe(413)
    expect((await upload('purpose=images&batch=b&name=x.png', 'd', '1'.repeat(64))).status).toBe(401)
    expect(existsSync(join(base, 'escape.png'))).toBe(false)
  })
})

function openSocket(path: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}${path}`, { headers })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

function nextMessage(ws: WebSocket): Promise<unknown> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))))
}

describe('/api/events', () => {
  it('pushes every service event to cookie and ?token= clients', async () => {
    const a = await openSocket('/api/events', { Cookie: `ll_token=${web.token}` })
    const b = await openSocket(`/api/events?token=${web.token}`)
    const gotA = nextMessage(a)
    const gotB = nextMessage(b)
    const payload = { jobId: 'j1', done: 2, total: 5, file: '/x/a.png', imported: 1, skipped: 1, failed: 0 }
    services.emit('import:progress', payload)
    expect(await gotA).toEqual({ event: 'import:progress', payload })
    expect(await gotB).toEqual({ event: 'import:progress', payload })
    const closed = new Promise((resolve) => a.once('close', resolve))
    await web.close()
    await closed
    expect(services.listenerCount).toBe(0)
    b.terminate()
  })

  it('refuses sockets without the token, from foreign origins or hosts, and on other paths', async () => {
    await expect(openSocket('/api/events')).rejects.toThrow('status 401')
    await expect(openSocket(`/api/events?token=${'2'.repeat(64)}`)).rejects.toThrow('status 401')
    await expect(openSocket(`/api/events?token=${web.token}`, { Origin: 'http://evil.example' })).rejects.toThrow('status 403')
    await expect(openSocket(`/api/events?token=${web.token}`, { Host: 'evil.example' })).rejects.toThrow('status 403')
    await expect(openSocket(`/api/other?token=${web.token}`)).rejects.toThrow('status 404')
  })
})
