import { rm, symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FakeServiceHost, ONE_PIXEL_PNG } from './test-support/fake-service-host'
import { call, makeRendererDir, send } from './test-support/http-client'
import { startWebHost, type WebHost } from './index'

let base: string
let rendererDir: string
let services: FakeServiceHost
let web: WebHost

beforeEach(async () => {
  ;({ base, rendererDir } = await makeRendererDir())
  services = new FakeServiceHost()
  web = await startWebHost({ host: services, rendererDir, maxBodyBytes: 1024 })
})

afterEach(async () => {
  await web.close()
  await rm(base, { recursive: true, force: true })
})

describe('startWebHost', () => {
  it('listens on 127.0.0.1 with a random 32-byte hex token in the URL', async () => {
    expect(web.token).toMatch(/^[0-9a-f]{64}$/)
    expect(web.url).toBe(`http://127.0.0.1:${web.port}/?token=${web.token}`)
    const other = await startWebHost({ host: services, rendererDir })
    try {
      expect(other.token).not.toBe(web.token)
      expect(other.port).not.toBe(web.port)
    } finally {
      await other.close()
    }
  })

  it('refuses to start without a built renderer and says to build it', async () => {
    await expect(startWebHost({ host: services, rendererDir: join(base, 'nope') })).rejects.toThrow(/npm run build/)
  })
})

describe('access token', () => {
  it('refuses API calls without or with a wrong token', async () => {
    const none = await send(web.port, { method: 'POST', path: '/api/call/app:info', body: '{}' })
    expect(none.status).toBe(401)
    expect(none.json()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    const wrong = await call(web.port, 'f'.repeat(64), 'app:info', {})
    expect(wrong.status).toBe(401)
    expect(services.calls).toHaveLength(0)
  })

  it('shows a 401 page pointing to the printed URL for pages without the cookie', async () => {
    const res = await send(web.port, { path: '/' })
    expect(res.status).toBe(401)
    expect(res.headers['content-type']).toMatch(/text\/html/)
    expect(res.text).toContain('labelloop serve')
    expect(res.text).not.toContain(web.token)
  })

  it('turns ?token= into an HttpOnly SameSite=Strict cookie and redirects to /', async () => {
    const bad = await send(web.port, { path: `/?token=${'0'.repeat(64)}` })
    expect(bad.status).toBe(401)
    expect(bad.headers['set-cookie']).toBeUndefined()
    const res = await send(web.port, { path: `/?token=${web.token}` })
    expect(res.status).toBe(302)
    expect(res.headers.location).toBe('/')
    expect(res.headers['set-cookie']).toEqual([`ll_token=${web.token}; HttpOnly; SameSite=Strict; Path=/`])
    const page = await send(web.port, { path: '/', headers: { Cookie: `other=1; ll_token=${web.token}` } })
    expect(page.status).toBe(200)
    expect(page.text).toContain('<title>LabelLoop</title>')
    const csp = String(page.headers['content-security-policy'])
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${web.port} ws://localhost:${web.port}`)
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'")
    const api = await send(web.port, { method: 'POST', path: '/api/call/app:info', headers: { Cookie: `ll_token=${web.token}` } })
    expect(api.json()).toMatchObject({ ok: true, result: { mode: 'browser' } })
  })

  it('rejects foreign Host headers (DNS rebinding) even with the right token', async () => {
    for (const host of ['evil.example:' + web.port, `127.0.0.1:${web.port + 1}`, 'localhost']) {
      const res = await call(web.port, web.token, 'app:info', {}, { Host: host })
      expect(res.status, host).toBe(403)
    }
    const local = await call(web.port, web.token, 'app:info', {}, { Host: `localhost:${web.port}` })
    expect(local.status).toBe(200)
    expect(services.calls).toHaveLength(1)
  })

  it('rejects API calls from a foreign Origin', async () => {
    const res = await call(web.port, web.token, 'app:info', {}, { Origin: 'http://evil.example' })
    expect(res.status).toBe(403)
    const same = await call(web.port, web.token, 'app:info', {}, { Origin: `http://127.0.0.1:${web.port}` })
    expect(same.status).toBe(200)
  })
})

describe('/api/call', () => {
  it('round-trips a call and the parsed input reaches the services', async () => {
    const res = await call(web.port, web.token, 'project:create', { path: '/p/a.labelloop', name: ' Roads ', classes: [{ name: 'road', color: '#ff0000' }] })
    expect(res.status).toBe(200)
    expect(res.json()).toEqual({
      ok: true,
      result: expect.objectContaining({ name: 'Roads', classes: [{ index: 0, name: 'road', color: '#ff0000' }] }),
    })
    const nothing = await call(web.port, web.token, 'project:close', {})
    expect(nothing.json()).toEqual({ ok: true, result: null })
  })

  it('maps error codes to HTTP statuses and keeps the error DTO', async () => {
    const cases: [string, unknown, number, string][] = [
      ['project:create', { path: 'x', name: 'n', classes: [] }, 400, 'INVALID_INPUT'],
      ['no:such', {}, 400, 'INVALID_INPUT'],
      ['project:open', { path: '/gone.labelloop' }, 404, 'NOT_FOUND'],
      ['project:create', { path: '/exists.labelloop', name: 'n', classes: [{ name: 'a' }] }, 409, 'ALREADY_EXISTS'],
      ['images:import', { jobId: 'j', paths: ['/a.png'] }, 409, 'BUSY'],
      ['images:list', {}, 409, 'NO_PROJECT'],
      ['images:get', { id: 3 }, 500, 'INTERNAL'],
    ]
    for (const [method, input, status, code] of cases) {
      const res = await call(web.port, web.token, method, input)
      expect(res.status, method).toBe(status)
      expect(res.json(), method).toMatchObject({ ok: false, error: { code, message: expect.any(String) } })
    }
    const notFound = (await call(web.port, web.token, 'project:open', { path: '/gone.labelloop' })).json()
    expect(notFound).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: '/gone.labelloop: no such file', file: '/gone.labelloop' } })
  })

  it('refuses bad JSON, wrong HTTP methods and bodies over the limit', async () => {
    const headers = { 'X-LabelLoop-Token': web.token }
    const badJson = await send(web.port, { method: 'POST', path: '/api/call/app:info', headers, body: '{nope' })
    expect(badJson.status).toBe(400)
    expect(badJson.json()).toMatchObject({ error: { code: 'INVALID_INPUT' } })
    const get = await send(web.port, { path: '/api/call/app:info', headers })
    expect(get.status).toBe(405)
    const big = await call(web.port, web.token, 'project:open', { path: 'x'.repeat(2000) })
    expect(big.status).toBe(413)
    expect(big.json()).toMatchObject({ ok: false, error: { message: expect.stringContaining('1 KiB') } })
    const unknownRoute = await send(web.port, { path: '/api/nothing', headers })
    expect(unknownRoute.status).toBe(404)
    expect(services.calls).toHaveLength(0)
  })
})

describe('/api/images', () => {
  it('serves renditions with type, cache headers and an ETag that revalidates', async () => {
    const headers = { 'X-LabelLoop-Token': web.token }
    const res = await send(web.port, { path: '/api/images/1/thumb', headers })
    expect(res.status).toBe(200)
    expect(res.body.equals(ONE_PIXEL_PNG)).toBe(true)
    expect(res.headers['content-type']).toBe('image/png')
    expect(res.headers['cache-control']).toBe('private, max-age=0, must-revalidate')
    const etag = String(res.headers.etag)
    expect(etag).toMatch(/^".+"$/)
    const again = await send(web.port, { path: '/api/images/1/thumb', headers: { ...headers, 'If-None-Match': etag } })
    expect(again.status).toBe(304)
    expect(again.body.length).toBe(0)
    const display = await send(web.port, { path: '/api/images/1/display', headers })
    expect(display.body.length).toBe(ONE_PIXEL_PNG.length + 1)
    expect(display.headers.etag).not.toBe(etag)
    expect((await send(web.port, { path: '/api/images/2/thumb', headers })).status).toBe(404)
    expect((await send(web.port, { path: '/api/images/1/huge', headers })).status).toBe(404)
    expect((await send(web.port, { path: '/api/images/1/thumb' })).status).toBe(401)
  })
})

describe('static files', () => {
  const cookie = (): Record<string, string> => ({ Cookie: `ll_token=${web.token}` })

  it('serves the renderer with MIME types and falls back to index.html for app routes', async () => {
    const js = await send(web.port, { path: '/assets/app.js', headers: cookie() })
    expect(js.status).toBe(200)
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(js.headers['content-security-policy']).toBeUndefined()
    expect((await send(web.port, { path: '/assets/app.css', headers: cookie() })).headers['content-type']).toBe('text/css; charset=utf-8')
    expect((await send(web.port, { path: '/assets/kernels.wasm', headers: cookie() })).headers['content-type']).toBe('application/wasm')
    expect((await send(web.port, { path: '/assets/missing.js', headers: cookie() })).status).toBe(404)
    const route = await send(web.port, { path: '/projects/gallery', headers: cookie() })
    expect(route.status).toBe(200)
    expect(route.text).toContain('<title>LabelLoop</title>')
    expect((await send(web.port, { path: '/assets/app.js' })).status).toBe(401)
  })

  it('refuses every spelling of path traversal', async () => {
    await symlink(join(base, 'secret.txt'), join(rendererDir, 'assets', 'link.txt'))
    const paths = ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/..%5c..%5csecret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/assets/link.txt', '/a%00.js']
    for (const path of paths) {
      const res = await send(web.port, { path, headers: cookie() })
      expect(res.text, path).not.toContain('TOP SECRET')
      expect([403, 404], path).toContain(res.status)
    }
    expect((await send(web.port, { path: '/..%2fsecret.txt', headers: cookie() })).status).toBe(403)
  })
})
