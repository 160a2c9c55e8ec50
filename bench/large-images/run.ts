/**
 * Large-image benchmark: writes an 8,000×8,000 RGB PNG (textured, so it compresses like a real aerial
 * image) and optionally a 4-band 16-bit GeoTIFF of the same size, then measures in separate processes
 * (each with its own peak RSS): decodeImage (validation, display rendition, thumbnail), and through the
 * services `images:import`, the display rendition, and `images:tile` (overview, a 1:1 viewport of 12
 * tiles, a corner tile cold and cached). The GeoTIFF (512 MB at 8,000²) is over the project's blob limit
 * and is imported linked (by path). `--predict` adds band-by-band prediction of each image with a tiny
 * untrained U-Net (wasm backend, 256-px tiles; minutes at 8,000² on 2 cores). Run from the repo root:
 *
 *   node --import tsx bench/large-images/run.ts [--size 8000] [--geotiff] [--predict] [--keep]
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import sharp from 'sharp'

const { values: args } = parseArgs({
  options: { size: { type: 'string', default: '8000' }, geotiff: { type: 'boolean', default: false }, predict: { type: 'boolean', default: false }, keep: { type: 'boolean', default: false } },
})
const size = Number(args.size)

/** Runs one stage in a process of its own (Linux keeps the peak RSS across exec, so this one stays small). */
function stage(name: string, file: string, work: string): Record<string, number> {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join('bench', 'large-images', 'stage.ts'), name, file, work, String(size)], { encoding: 'utf8', maxBuffer: 1 << 20 })
  const last = out.trim().split('\n').pop() ?? ''
  return (last === '' ? {} : JSON.parse(last)) as Record<string, number>
}

const work = await mkdtemp(join(tmpdir(), 'labelloop-large-'))
try {
  console.log(`${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, sharp ${sharp.versions.sharp} / libvips ${sharp.versions.vips}, load ${loadavg()[0].toFixed(1)}`)
  const files: [string, string][] = [['png', join(work, `large-${size}.png`)]]
  stage('make-png', files[0][1], work)
  if (args.geotiff) {
    files.push(['geotiff', join(work, `large-${size}-4band16.tif`)])
    stage('make-geotiff', files[1][1], work)
  }
  for (const [kind, file] of files) {
    console.log(`\n${kind}: ${size}×${size}, ${((await stat(file)).size / 1e6).toFixed(1)} MB on disk`)
    console.log('decodeImage', JSON.stringify(stage('decode', file, work)))
    console.log('services', JSON.stringify(stage('import', file, work)))
    if (args.predict) {
      for (const f of ['', '-wal', '-shm']) await rm(join(work, `predict.labelloop${f}`), { force: true })
      console.log('predict import', JSON.stringify(stage('predict-prepare', file, work)))
      console.log('predict', JSON.stringify(stage('predict', file, work)))
    }
  }
  console.log(`\nload at the end ${loadavg()[0].toFixed(1)}`)
} finally {
  if (!args.keep) await rm(work, { recursive: true, force: true })
}
