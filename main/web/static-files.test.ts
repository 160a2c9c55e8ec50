import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FAVICON, serveStatic } from './static-files'

let root: string
let server: Server
let base: string

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'labelloop-static-'))
  await writeFile(join(root, 'index.html'), '<!doctype html><title>LabelLoop</title>')
  server = createServer((req, res) => void serveStatic(req, res, root, new URL(req.url ?? '/', 'http://x').pathname, 0))
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterEach(async () => {
  await new Promise((done) => server.close(done))
  await rm(root, { recursive: true, force: true })
})

describe('static files', () => {
  it('answers the favicon.ico every browser asks for with the app icon', async () => {
    const res = await fetch(`${base}/favicon.ico`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/x-icon')
    expect(Buffer.from(await res.arrayBuffer()).equals(await readFile(FAVICON))).toBe(true)
  })

  it('still answers 404 for other missing files', async () => {
    expect((await fetch(`${base}/missing.png`)).status).toBe(404)
    expect((await fetch(`${base}/assets/favicon.ico`)).status).toBe(404)
  })
})
