import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from './run-cli'
import { captureIo, writePngs, type CapturedIo } from './test-support'

let dir: string
let env: Record<string, string>

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'labelloop-serve-test-'))
  await mkdir(join(dir, 'renderer'))
  await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html><title>LabelLoop</title>')
  env = { LABELLOOP_HOME: join(dir, 'home'), LABELLOOP_RENDERER_DIR: join(dir, 'renderer') }
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function waitForLine(io: CapturedIo): Promise<string> {
  for (let i = 0; i < 600; i++) {
    if (io.out().includes('\n')) return io.out().split('\n')[0]
    if (io.err().startsWith('labelloop:')) throw new Error(io.err())
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`serve printed nothing; stderr: ${io.err()}`)
}

async function post(url: string, token: string, method: string, input: unknown): Promise<unknown> {
  const res = await fetch(new URL(`/api/call/${method}`, url), {
    method: 'POST',
    headers: { 'X-LabelLoop-Token': token, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  })
  return res.json()
}

describe('labelloop serve', () => {
  it('serves the project over the real services until interrupted', async () => {
    const setup = captureIo(env, dir)
    expect(await runCli(['new', 'p.labelloop', '--classes', 'a,b'], setup)).toBe(0)
    await writePngs(join(dir, 'imgs'), 2)
    expect(await runCli(['import', 'p.labelloop', 'imgs'], captureIo(env, dir))).toBe(0)

    const io = captureIo(env, dir)
    const running = runCli(['serve', 'p.labelloop', '--json'], io)
    const started = JSON.parse(await waitForLine(io)) as { url: string; port: number; project: string }
    expect(started.project).toBe(join(dir, 'p.labelloop'))
    expect(started.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${started.port}/\\?token=[0-9a-f]{64}$`))
    expect(io.opened).toEqual([started.url])
    const token = new URL(started.url).searchParams.get('token') ?? ''

    expect(await post(started.url, token, 'app:info', {})).toMatchObject({ ok: true, result: { mode: 'browser', nativeDialogs: false } })
    expect(await post(started.url, token, 'project:current', {})).toMatchObject({ ok: true, result: { imageCount: 2 } })
    const page = (await post(started.url, token, 'images:list', {})) as { result: { items: { id: number }[] } }
    const thumb = await fetch(new URL(`/api/images/${page.result.items[0].id}/thumb`, started.url), { headers: { 'X-LabelLoop-Token': token } })
    expect(thumb.status).toBe(200)
    expect(thumb.headers.get('content-type')).toMatch(/^image\//)
    expect((await fetch(new URL('/api/call/app:info', started.url), { method: 'POST', body: '{}' })).status).toBe(401)

    io.interrupt()
    expect(await running).toBe(0)
    expect(io.out().trim().split('\n')).toHaveLength(1)
    await expect(fetch(started.url)).rejects.toThrow()
  })

  it('opens the generated sample project with --sample', async () => {
    const io = captureIo(env, dir)
    const running = runCli(['serve', '--sample', '--no-open', '--json'], io)
    const started = JSON.parse(await waitForLine(io)) as { url: string; project: string }
    expect(started.project).toBe(join(env.LABELLOOP_HOME, 'sample.labelloop'))
    const token = new URL(started.url).searchParams.get('token') ?? ''
    expect(await post(started.url, token, 'project:current', {})).toMatchObject({ ok: true, result: { imageCount: 40 } })
    io.interrupt()
    expect(await running).toBe(0)
  })

  it('fails with a clear reason when the renderer is not built or the port is bad', async () => {
    const io = captureIo({ ...env, LABELLOOP_RENDERER_DIR: join(dir, 'nothing') }, dir)
    expect(await runCli(['serve', '--no-open'], io)).toBe(1)
    expect(io.err()).toMatch(/^labelloop: .*npm run build.*\n$/)
    expect(io.opened).toEqual([])
    const port = captureIo(env, dir)
    expect(await runCli(['serve', '--port', 'http', '--json'], port)).toBe(1)
    expect(JSON.parse(port.out())).toMatchObject({ error: { code: 'INVALID_INPUT' } })
  })
})
