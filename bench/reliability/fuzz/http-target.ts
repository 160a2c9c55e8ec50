/**
 * Fuzz target for the contract payloads of the HTTP transport: a real `startWebHost` over the real
 * services with a project open, on 127.0.0.1. Each case POSTs a drawn body (JSON of any shape, a
 * near-valid payload with wrong types, bytes that are not JSON, a damaged mask PNG to `masks:save`) to a
 * read-only or mask method, or to a made-up method. Every answer must be a JSON envelope: `ok: true`, or
 * `ok: false` with a contract code other than INTERNAL and a 4xx status (5xx only for the server's own
 * disk or project file). Methods that start jobs or
 * touch other files (create, import, train, export, delete) are left out so cases stay independent.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { createServiceHost } from '../../../main/services/index'
import { startWebHost } from '../../../main/web/web-host'
import { makeRendererDir, send } from '../../../main/web/test-support/http-client'
import { damagedFile } from './mutate'
import { maskSeeds } from './seeds'
import type { FuzzOptions, TargetStats } from './targets'

const READ_METHODS = [
  'app:info', 'project:recent', 'project:current', 'images:list', 'images:get', 'images:neighbors', 'masks:get', 'masks:revisions',
  'balance:get', 'balance:images', 'runs:list', 'runs:get', 'predictions:get', 'pretrain:latest', 'display:getBands', 'images:tile',
  'rounds:list', 'review:list', 'review:get', 'images:cancelImport', 'predict:cancel', 'train:cancel',
] as const

const nearValid = fc.record(
  {
    id: fc.oneof(fc.integer(), fc.string(), fc.double(), fc.constant(null)),
    imageId: fc.oneof(fc.integer({ min: -2, max: 5 }), fc.string(), fc.constant(1e300)),
    limit: fc.oneof(fc.integer(), fc.string()),
    offset: fc.oneof(fc.integer(), fc.constant(-1)),
    query: fc.anything(),
    sort: fc.string(),
    x: fc.integer(),
    y: fc.integer(),
    level: fc.integer(),
    roundId: fc.integer(),
  },
  { requiredKeys: [] },
)

interface Case {
  method: string
  body: Buffer
}

export async function runHttpTarget(opts: FuzzOptions): Promise<TargetStats> {
  const dir = mkdtempSync(join(tmpdir(), 'labelloop-fuzz-http-'))
  const services = createServiceHost({ mode: 'browser', appDataDir: join(dir, 'appdata'), version: '0.0.0-fuzz', nativeDialogs: false })
  await services.dispatch('project:create', { path: join(dir, 'p.labelloop'), name: 'Fuzz', classes: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] })
  const png = maskSeeds()[0].bytes
  writeFileSync(join(dir, 'img.png'), png)
  await services.dispatch('images:import', { jobId: 'fuzz', paths: [join(dir, 'img.png')] })
  const { base, rendererDir } = await makeRendererDir()
  const web = await startWebHost({ host: services, rendererDir, maxBodyBytes: 1 << 20 })
  const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v) ?? 'null')
  const cases: fc.Arbitrary<Case> = fc.oneof(
    fc.record({ method: fc.constantFrom(...READ_METHODS), body: fc.oneof(nearValid.map(json), fc.jsonValue().map(json)) }),
    fc.record({ method: fc.constantFrom(...READ_METHODS), body: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)) }),
    fc.record({ method: fc.constant('masks:save'), body: damagedFile(maskSeeds()).map((f) => json({ imageId: 1, pngBase64: f.bytes.toString('base64') })) }),
    fc.record({ method: fc.stringMatching(/^[a-z:A-Z%.\/]{1,20}$/), body: fc.jsonValue().map(json) }),
  )
  const stats: TargetStats = { cases: 0, accepted: 0, maxMs: 0 }
  try {
    const details = await fc.check(
      fc.asyncProperty(cases, async (c) => {
        const t0 = performance.now()
        const res = await send(web.port, { method: 'POST', path: `/api/call/${encodeURIComponent(c.method)}`, headers: { 'Content-Type': 'application/json', 'X-LabelLoop-Token': web.token }, body: c.body })
        stats.maxMs = Math.max(stats.maxMs, performance.now() - t0)
        stats.cases++
        const envelope = JSON.parse(res.text) as { ok: boolean; error?: { code: string; message: string } }
        if (envelope.ok) {
          stats.accepted++
          if (res.status !== 200) throw new Error(`${c.method}: ok with status ${res.status}`)
          return
        }
        const serverSide = envelope.error && ['IO', 'CORRUPT_PROJECT', 'DISK_FULL'].includes(envelope.error.code)
        if (res.status < 400 || (res.status >= 500 && !serverSide) || !envelope.error || envelope.error.code === 'INTERNAL') {
          throw new Error(`${c.method} with ${c.body.subarray(0, 120).toString('utf8')}: status ${res.status}, ${res.text.slice(0, 300)}`)
        }
      }),
      { seed: opts.seed, numRuns: opts.numRuns, endOnFailure: true },
    )
    if (details.failed) throw new Error(`seed ${opts.seed}, path ${details.counterexamplePath}: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`)
    const alive = await send(web.port, { method: 'POST', path: '/api/call/app:info', headers: { 'X-LabelLoop-Token': web.token }, body: '{}' })
    if (alive.status !== 200) throw new Error(`the web host stopped answering after the cases: ${alive.status}`)
    return stats
  } finally {
    await web.close()
    await services.close()
    rmSync(dir, { recursive: true, force: true })
    rmSync(base, { recursive: true, force: true })
  }
}
