/**
 * One measured stage of the large-image benchmark, run in a process of its own so its peak RSS
 * (getrusage maxRSS) is that stage's alone. Prints one JSON line. Used by run.ts:
 *
 *   node --import tsx bench/large-images/stage.ts <make-png|make-geotiff|decode|import|predict-prepare|predict> <image file> <work dir> <size>
 *
 * `predict-prepare` imports the file into <work dir>/predict.labelloop; `predict` then predicts it there
 * with a tiny untrained U-Net (depth 3, 8 base filters, 256-px tiles, 6 classes) band by band, as the
 * trainer's predict job does, and encodes the stored outputs (mask PNG, confidence PNG).
 */
import { readFile, writeFile } from 'node:fs/promises'
import { writeArrayBuffer } from 'geotiff'
import sharp from 'sharp'
import { join } from 'node:path'
import { decodeImage } from '../../core/imaging'
import { createServiceHost } from '../../main/services/index'
import { tileGrid, type TileResult } from '../../core/contract'
import { ProjectStore } from '../../core/project'
import { selectBackend } from '../../core/train/backend'
import { createUNet } from '../../core/train/model/unet'
import { argmaxInto, predictRows, softmaxRunner, tiling } from '../../core/train/loop/predict'
import { projectRows } from '../../core/train/loop/project-source'
import { encodeConfidencePng } from '../../core/train/loop/round-repo'
import { encodeMaskPng } from '../../core/imaging'

const [stage, file, work, sizeText] = process.argv.slice(2)
const size = Number(sizeText)

/** Smooth fields plus fine deterministic noise: a few bits of entropy per pixel, like imagery. */
function texture(x: number, y: number, c: number, seed: number): number {
  const h = Math.imul(x * 73856093 ^ y * 19349663 ^ (c + seed) * 83492791, 2654435761) >>> 30
  return (((x >> 3) + (y >> 4) * (c + 1)) & 127) + (((x * y) >> 12) & 63) + h
}

async function writePng(path: string): Promise<void> {
  const data = Buffer.alloc(size * size * 3)
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) for (let c = 0; c < 3; c++) data[(y * size + x) * 3 + c] = texture(x, y, c, 1)
  await writeFile(path, await sharp(data, { raw: { width: size, height: size, channels: 3 } }).png({ compressionLevel: 6 }).toBuffer())
}

/**
 * geotiff.js encodes pixel by pixel (far too slow at this size), so it writes only the header, for a
 * one-pixel strip, with the real strip size; the big-endian samples are appended in its place.
 */
async function writeGeoTiff(path: string): Promise<void> {
  const data = new Uint16Array(size * size * 4)
  for (let i = 0; i < size * size; i++) for (let c = 0; c < 4; c++) data[i * 4 + c] = texture(i % size, Math.floor(i / size), c, 2) * 40 + 1000
  const header = new Uint8Array(writeArrayBuffer(new Uint16Array(4), {
    width: size, height: size, BitsPerSample: [16, 16, 16, 16], SamplesPerPixel: [4], SampleFormat: [1, 1, 1, 1],
    PhotometricInterpretation: 1, StripByteCounts: [data.byteLength], ModelPixelScale: [0.5, 0.5, 0],
    ModelTiepoint: [0, 0, 0, 356000, 5645000, 0], ProjectedCSTypeGeoKey: 25832,
  }))
  await writeFile(path, Buffer.concat([header.subarray(0, header.length - 8), Buffer.from(data.buffer).swap16()]))
}


function ms(start: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - start) / 1e6)
}

function peakMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024)
}

async function decode(): Promise<Record<string, number>> {
  const bytes = await readFile(file)
  const before = peakMb()
  const t = process.hrtime.bigint()
  const d = await decodeImage(bytes, file)
  return { decodeMs: ms(t), rssBeforeMb: before, peakRssMb: peakMb(), displayMb: d.display.length / 1e6, bands: d.bands }
}

async function viaServices(): Promise<Record<string, number>> {
  const host = createServiceHost({ mode: 'cli', appDataDir: join(work, 'appdata'), version: 'bench', nativeDialogs: false })
  const call = (m: string, i: unknown): Promise<unknown> => host.dispatch(m, i)
  await call('project:create', { path: join(work, `bench-${Date.now()}.labelloop`), name: 'Large', classes: [{ name: 'a' }, { name: 'b' }] })
  const before = peakMb()
  let t = process.hrtime.bigint()
  const r = (await call('images:import', { jobId: 'big', paths: [file] })) as { imported: { id: number }[]; failed: unknown[] }
  if (r.failed.length > 0) throw new Error(`import failed: ${JSON.stringify(r.failed)}`)
  const importMs = ms(t)
  const importPeak = peakMb()
  const id = r.imported[0].id
  const image = (await call('images:get', { id })) as { width: number; height: number }
  t = process.hrtime.bigint()
  const display = await host.imageRendition(id, 'display')
  const displayMs = ms(t)
  const grid = tileGrid(image.width, image.height)
  const tile = (level: number, x: number, y: number): Promise<TileResult> => call('images:tile', { id, level, x, y }) as Promise<TileResult>
  t = process.hrtime.bigint()
  const overview = await tile(grid.levels - 1, 0, 0)
  const overviewMs = ms(t)
  // A 1400×900 editor viewport at 1:1 in the middle of the image: 4×3 level-0 tiles, cold.
  const l0 = grid.level(0)
  const cx = Math.floor(l0.cols / 2)
  const cy = Math.floor(l0.rows / 2)
  t = process.hrtime.bigint()
  for (let y = Math.max(0, cy - 1); y < Math.min(l0.rows, cy + 2); y++) {
    for (let x = Math.max(0, cx - 2); x < Math.min(l0.cols, cx + 2); x++) await tile(0, x, y)
  }
  const viewportMs = ms(t)
  t = process.hrtime.bigint()
  await tile(0, l0.cols - 1, l0.rows - 1)
  const cornerMs = ms(t)
  t = process.hrtime.bigint()
  await tile(0, l0.cols - 1, l0.rows - 1)
  const cachedMs = ms(t)
  const out = {
    importMs, rssBeforeMb: before, importPeakRssMb: importPeak, displayMs, displayMb: display.bytes.length / 1e6,
    levels: grid.levels, overviewMs, overviewKb: Math.round(overview.bytesBase64.length * 0.75 / 1024),
    viewport12TilesMs: viewportMs, cornerTileMs: cornerMs, cachedTileMs: cachedMs, peakRssMb: peakMb(),
  }
  await host.close()
  return out
}

/** Imports `file` into <work>/predict.labelloop (in its own process, so `predict` measures only itself). */
async function predictPrepare(): Promise<Record<string, number>> {
  const host = createServiceHost({ mode: 'cli', appDataDir: join(work, 'appdata'), version: 'bench', nativeDialogs: false })
  await host.dispatch('project:create', { path: join(work, 'predict.labelloop'), name: 'Predict', classes: ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => ({ name })) })
  const r = (await host.dispatch('images:import', { jobId: 'p', paths: [file] })) as { imported: { id: number; linked?: boolean }[]; failed: unknown[] }
  await host.close()
  if (r.failed.length > 0) throw new Error(`import failed: ${JSON.stringify(r.failed)}`)
  return { imageId: r.imported[0].id, linked: r.imported[0].linked ? 1 : 0 }
}

/** Band-by-band prediction of the imported image with an untrained tiny U-Net, then the stored outputs. */
async function predict(): Promise<Record<string, number>> {
  const backend = await selectBackend({ force: 'wasm' })
  const store = ProjectStore.open(join(work, 'predict.labelloop'))
  const id = (store.db.prepare('SELECT id FROM images ORDER BY id LIMIT 1').get() as { id: number }).id
  const bands = store.images.get(id).bands
  const classes = 6
  const tile = 256
  const model = createUNet({ inChannels: bands, numClasses: classes, depth: 3, baseFilters: 8, dropout: 0, batchNorm: true, seed: 1 })
  const norm = { mean: new Array<number>(bands).fill(bands > 3 ? 3000 : 128), std: new Array<number>(bands).fill(bands > 3 ? 2000 : 64) }
  const before = peakMb()
  const t = process.hrtime.bigint()
  const src = await projectRows(store, id, bands, norm)
  const decodedMs = ms(t)
  const mask = new Uint8Array(src.width * src.height)
  const confidence = new Float32Array(src.width * src.height)
  let bandsDone = 0
  await predictRows(src, softmaxRunner(model, tile, bands), tiling({ tileSize: tile, numClasses: classes }), (b) => {
    argmaxInto(b.probs, classes, mask, confidence, b.y0 * src.width)
    bandsDone++
  })
  const predictMs = ms(t)
  const maskPng = encodeMaskPng(mask, src.width, src.height)
  const confPng = encodeConfidencePng(confidence, src.width, src.height)
  const totalMs = ms(t)
  model.dispose()
  store.close()
  return {
    backend: backend.name === 'wasm' ? 1 : 0, decodeMs: decodedMs, predictMs, totalWithPngMs: totalMs, tileBands: bandsDone,
    maskPngMb: maskPng.length / 1e6, confidencePngMb: confPng.length / 1e6, rssBeforeMb: before, peakRssMb: peakMb(),
  }
}

if (stage === 'make-png') await writePng(file)
else if (stage === 'make-geotiff') await writeGeoTiff(file)
else if (stage === 'predict-prepare') console.log(JSON.stringify(await predictPrepare()))
else if (stage === 'predict') console.log(JSON.stringify(await predict()))
else console.log(JSON.stringify(stage === 'decode' ? await decode() : await viaServices()))
