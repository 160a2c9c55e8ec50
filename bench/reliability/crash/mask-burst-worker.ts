/**
 * Crash-harness worker: the editor's autosave path under a burst. Opens the project through the real
 * services (the same `masks:save` call both transports dispatch) and saves seeded random masks as fast as
 * it can; after each save resolves it prints one acknowledgement line, JSON
 * `{ imageId, revisionId, sha }` (sha-256 of the mask's class indices), which is what the parent checks
 * survived a SIGKILL bit for bit. Bounded: stops by itself after `maxSaves`.
 *
 * Usage: node --import tsx mask-burst-worker.ts <project> <seed> <maxSaves>
 */
import { createHash } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { ImagePage } from '../../../core/contract'
import { encodeMaskPng } from '../../../core/imaging'
import { createServiceHost } from '../../../main/services/index'
import { mulberry32 } from './random'

const [project, seedArg, maxArg] = process.argv.slice(2)
const random = mulberry32(Number(seedArg))
// The app data lives beside the project (in the kill point's folder, which the harness removes).
const appDataDir = join(dirname(project), 'burst-appdata')
mkdirSync(appDataDir, { recursive: true })
const host = createServiceHost({ mode: 'cli', appDataDir, version: '0.0.0-crash', nativeDialogs: false })
await host.dispatch('project:open', { path: project })
const page = (await host.dispatch('images:list', { limit: 100 })) as ImagePage
process.stdout.write('ready\n')
for (let i = 0; i < Number(maxArg); i++) {
  const image = page.items[i % page.items.length]
  const data = new Uint8Array(image.width * image.height)
  // A random rectangle of a random class over unlabeled pixels, as a brush stroke leaves it.
  const cls = Math.floor(random() * 2)
  const x0 = Math.floor(random() * image.width)
  const y0 = Math.floor(random() * image.height)
  for (let y = 0; y < image.height; y++) for (let x = 0; x < image.width; x++) data[y * image.width + x] = x >= x0 && y >= y0 ? cls : 255
  const png = encodeMaskPng(data, image.width, image.height)
  const saved = (await host.dispatch('masks:save', { imageId: image.id, pngBase64: png.toString('base64') })) as { revisionId: number }
  const sha = createHash('sha256').update(data).digest('hex')
  process.stdout.write(`${JSON.stringify({ imageId: image.id, revisionId: saved.revisionId, sha })}\n`)
}
await host.close()
