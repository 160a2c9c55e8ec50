import { existsSync } from 'node:fs'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import type { ImportResult } from '../../core/contract'
import { writeMask, writePngs } from '../cli/test-support'
import { createServiceHost } from '../services/index'
import type { ServiceHost } from '../services/host-types'
import { call, makeRendererDir, send } from './test-support/http-client'
import { startWebHost, type WebHost } from './index'

let base: string
let services: ServiceHost
let web: WebHost

beforeEach(async () => {
  const made = await makeRendererDir()
  base = made.base
  services = createServiceHost({ mode: 'browser', appDataDir: join(base, 'home'), version: '0.0.0-test', nativeDialogs: false })
  web = await startWebHost({ host: services, rendererDir: made.rendererDir })
})

afterEach(async () => {
  await web.close()
  await services.close()
  await rm(base, { recursive: true, force: true })
})

async function upload(purpose: string, name: string, bytes: Buffer): Promise<{ path: string; dir: string }> {
  const res = await send(web.port, {
    method: 'POST',
    path: `/api/upload?purpose=${purpose}&batch=batch1&name=${encodeURIComponent(name)}`,
    headers: { 'X-LabelLoop-Token': web.token },
    body: bytes,
  })
  expect(res.status, res.text).toBe(200)
  return (res.json() as { result: { path: string; dir: string } }).result
}

describe('web host over the real services', () => {
  it('creates a project, imports uploaded files with progress events and serves thumbnails', async () => {
    const login = await send(web.port, { path: `/?token=${web.token}` })
    const cookie = String(login.headers['set-cookie']).split(';')[0]
    const events: { event: string; payload: { jobId?: string; done?: number; total?: number } }[] = []
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}/api/events`, { headers: { Cookie: cookie } })
    ws.on('message', (data) => events.push(JSON.parse(String(data)) as (typeof events)[number]))
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))

    const path = join(base, 'p.labelloop')
    const created = await call(web.port, web.token, 'project:create', { path, name: 'Web', classes: [{ name: 'a' }, { name: 'b' }] })
    expect(created.json()).toMatchObject({ ok: true, result: { path, name: 'Web', imageCount: 0 } })
    const again = await call(web.port, web.token, 'project:create', { path, name: 'Web', classes: [{ name: 'a' }] })
    expect(again.status).toBe(409)
    expect(again.json()).toMatchObject({ ok: false, error: { code: 'ALREADY_EXISTS' } })

    const pngs = await writePngs(join(base, 'src'), 2)
    const uploaded = [await upload('images', 'field/img-00.png', await readFile(pngs[0])), await upload('images', 'field/img-01.png', await readFile(pngs[1]))]
    const broken = await upload('images', 'field/broken.png', Buffer.from('not an image at all'))
    await writeMask(join(base, 'src', 'mask.png'), 24, 16, 0, 1)
    const mask = await upload('masks', 'img-00.png', await readFile(join(base, 'src', 'mask.png')))

    const res = await call(web.port, web.token, 'images:import', { jobId: 'web-1', paths: [uploaded[0].dir], masksDir: mask.dir })
    expect(res.status, res.text).toBe(200)
    const result = (res.json() as { result: ImportResult }).result
    expect(result.imported.map((i) => i.file).sort()).toEqual(uploaded.map((u) => u.path).sort())
    expect(result.failed).toEqual([expect.objectContaining({ file: broken.path })])
    expect(result.masks.attached).toEqual([expect.objectContaining({ file: mask.path })])

    const progress = (): typeof events => events.filter((e) => e.event === 'import:progress' && e.payload.jobId === 'web-1')
    for (let i = 0; i < 100 && !progress().some((e) => e.payload.done === 3); i++) await new Promise((r) => setTimeout(r, 20))
    expect(progress().at(-1)?.payload).toMatchObject({ done: 3, total: 3 })
    expect(events.some((e) => e.event === 'project:changed')).toBe(true)

    const list = (await call(web.port, web.token, 'images:list', { sort: 'name' })).json() as { result: { total: number; items: { id: number; status: string }[] } }
    expect(list.result.total).toBe(2)
    const thumb = await send(web.port, { path: `/api/images/${list.result.items[0].id}/thumb`, headers: { Cookie: cookie } })
    expect(thumb.status).toBe(200)
    expect(thumb.headers['content-type']).toMatch(/^image\//)
    expect(thumb.body.length).toBeGreaterThan(0)
    expect((await send(web.port, { path: '/api/images/999/thumb', headers: { Cookie: cookie } })).status).toBe(404)

    ws.terminate()
    await web.close()
    expect(existsSync(uploaded[0].dir)).toBe(false)
  })

  it('maps the real services errors to HTTP statuses', async () => {
    const missing = await call(web.port, web.token, 'project:open', { path: join(base, 'none.labelloop') })
    expect(missing.status).toBe(404)
    expect(missing.json()).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    const bad = await call(web.port, web.token, 'images:get', { id: 'one' })
    expect(bad.status).toBe(400)
    const noProject = await call(web.port, web.token, 'images:list', {})
    expect(noProject.json()).toMatchObject({ ok: false, error: { code: 'NO_PROJECT' } })
    await writeFile(join(base, 'text.labelloop'), 'plain text')
    const notProject = await call(web.port, web.token, 'project:open', { path: join(base, 'text.labelloop') })
    expect(notProject.status).toBe(422)
    expect(notProject.json()).toMatchObject({ ok: false, error: { code: 'NOT_A_PROJECT' } })
  })
})
