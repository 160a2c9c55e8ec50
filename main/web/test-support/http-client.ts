/** Raw HTTP helpers for the web host tests: full control over Host, Cookie and undecoded paths. */
import { request } from 'node:http'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
  text: string
  json(): unknown
}

export interface RawRequest {
  method?: string
  path: string
  headers?: Record<string, string>
  body?: Buffer | string
}

/** Sends one request to 127.0.0.1:port exactly as given (the path is not normalised). */
export function send(port: number, req: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const r = request(
      { host: '127.0.0.1', port, method: req.method ?? 'GET', path: req.path, headers: { Host: `127.0.0.1:${port}`, ...req.headers } },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const body = Buffer.concat(chunks)
          const text = body.toString('utf8')
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json: () => JSON.parse(text) as unknown })
        })
      },
    )
    r.on('error', reject)
    r.end(req.body)
  })
}

/** POSTs a JSON call with the token header. */
export function call(port: number, token: string, method: string, input: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  return send(port, {
    method: 'POST',
    path: `/api/call/${method}`,
    headers: { 'Content-Type': 'application/json', 'X-LabelLoop-Token': token, ...headers },
    body: JSON.stringify(input),
  })
}

/** A temp folder holding a fake built renderer (index.html, one script, one stylesheet). */
export async function makeRendererDir(): Promise<{ base: string; rendererDir: string }> {
  const base = await mkdtemp(join(tmpdir(), 'labelloop-web-test-'))
  const rendererDir = join(base, 'renderer')
  await mkdir(join(rendererDir, 'assets'), { recursive: true })
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>LabelLoop</title><script type="module" src="./assets/app.js"></script>')
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log("app")')
  await writeFile(join(rendererDir, 'assets', 'app.css'), 'body{margin:0}')
  await writeFile(join(rendererDir, 'assets', 'kernels.wasm'), Buffer.from([0, 97, 115, 109]))
  await writeFile(join(base, 'secret.txt'), 'TOP SECRET')
  return { base, rendererDir }
}
