/**
 * Import benchmark: generates N size×size PNGs in a temp dir, times decodeImage (validation, display and
 * thumbnail) over them, then imports them into a new project through the services' `images:import`
 * and times opening that project. Run from the repo root:
 *
 *   node --import tsx bench/import/run.ts [--count 1000] [--size 512] [--keep]
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import sharp from 'sharp'
import type { ImagePage, ImportResult, ProjectInfo } from '../../core/contract'
import { decodeImage } from '../../core/imaging'
import { makeImages, pool } from './make-images'

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    size: { type: 'string', default: '512' },
    keep: { type: 'boolean', default: false },
  },
})
const count = Number(args.count)
const size = Number(args.size)

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9
}

function line(label: string, value: string): void {
  console.log(`| ${label} | ${value} |`)
}

async function benchDecode(paths: readonly string[], concurrency: number): Promise<void> {
  let inputBytes = 0
  let thumbBytes = 0
  const start = process.hrtime.bigint()
  await pool(paths, concurrency, async (p) => {
    const bytes = await readFile(p)
    const d = await decodeImage(bytes, p)
    inputBytes += bytes.length
    thumbBytes += d.thumbnail.length
  })
  const s = seconds(start)
  line(
    `decodeImage, ${concurrency} at a time`,
    `${s.toFixed(2)} s, ${(paths.length / s).toFixed(0)} images/s, ${(inputBytes / 1e6 / s).toFixed(1)} MB/s in ` +
      `(thumbnails ${(thumbBytes / paths.length / 1024).toFixed(1)} KiB avg)`,
  )
}

/** Imports the folder into a new project through the contract and reopens it; skipped when main/services is absent. */
async function benchServices(root: string, imagesDir: string): Promise<void> {
  let services: typeof import('../../main/services/index')
  try {
    services = await import('../../main/services/index')
  } catch (err) {
    console.log(`\n(main/services not available, service timings skipped: ${String(err).split('\n')[0]})`)
    return
  }
  const host = services.createServiceHost({ mode: 'cli', appDataDir: join(root, 'appdata'), version: 'bench', nativeDialogs: false })
  const projectPath = join(root, 'bench.labelloop')
  try {
    const classes = [{ name: 'ground' }, { name: 'road' }, { name: 'building' }, { name: 'vehicle' }]
    await host.dispatch('project:create', { path: projectPath, name: 'Import bench', classes })
    let start = process.hrtime.bigint()
    const result = (await host.dispatch('images:import', { jobId: 'bench', paths: [imagesDir] })) as ImportResult
    const importS = seconds(start)
    if (result.imported.length !== count) {
      throw new Error(`expected ${count} imported, got ${result.imported.length} (failed: ${result.failed.length}, skipped: ${result.skipped.length})`)
    }
    line('images:import into a new project', `${importS.toFixed(2)} s, ${(count / importS).toFixed(0)} images/s`)
    await host.dispatch('project:close', {})
    const fileMb = (await stat(projectPath)).size / 1e6
    line('project file size', `${fileMb.toFixed(0)} MB (${((fileMb * 1000) / count).toFixed(0)} kB per image)`)

    start = process.hrtime.bigint()
    const info = (await host.dispatch('project:open', { path: projectPath })) as ProjectInfo
    const openS = seconds(start)
    if (info.imageCount !== count) throw new Error(`reopened project has ${info.imageCount} images, expected ${count}`)
    line('project:open', `${(openS * 1000).toFixed(0)} ms`)
    start = process.hrtime.bigint()
    const page = (await host.dispatch('images:list', { limit: 200 })) as ImagePage
    line('images:list, first 200 of the gallery', `${(seconds(start) * 1000).toFixed(0)} ms (total ${page.total})`)
  } finally {
    await host.close()
  }
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'labelloop-bench-import-'))
  const imagesDir = join(root, 'images')
  try {
    console.log(`Import bench: ${count} PNGs of ${size}×${size} RGB`)
    console.log(`${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips})`)
    console.log(`load average at start: ${loadavg()[0].toFixed(1)}`)
    const genStart = process.hrtime.bigint()
    const paths = await makeImages(imagesDir, count, size)
    const inputMb = (await Promise.all(paths.map(async (p) => (await stat(p)).size))).reduce((a, b) => a + b, 0) / 1e6
    console.log(`generated in ${seconds(genStart).toFixed(1)} s: ${inputMb.toFixed(0)} MB of PNG\n`)
    console.log('| step | result |\n|---|---|')
    await benchDecode(paths, 1)
    await benchDecode(paths, cpus().length)
    await benchServices(root, imagesDir)
    console.log(`\nload average at end: ${loadavg()[0].toFixed(1)}`)
  } finally {
    if (args.keep) console.log(`\nkept ${root}`)
    else await rm(root, { recursive: true, force: true })
  }
}

await main()
