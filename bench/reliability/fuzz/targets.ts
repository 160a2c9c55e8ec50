/**
 * The fuzz targets: every decoder and parser a user's file reaches, driven by fast-check. Each case must
 * end in a result or a named AppError (an expected code, the file's name in the message) within 5 s;
 * anything else (a TypeError, a RangeError, a native crash, a hang) fails the property with the
 * counterexample fast-check shrank to.
 */
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import fc from 'fast-check'
import { AppError, type ErrorCode } from '../../../core/contract'
import { createImageMatcher, parseCocoJson, parseLabelmapTxt, planCocoImport, rasterizeCocoItem } from '../../../core/formats'
import { decodeImage, decodeMaskPng } from '../../../core/imaging'
import { LATEST_SCHEMA_VERSION, ProjectStore } from '../../../core/project'
import { writeSquaresProject } from '../../../main/services/training/test-project'
import { runHttpTarget } from './http-target'
import { damagedFile } from './mutate'
import { imageSeeds, maskSeeds } from './seeds'

export interface FuzzOptions {
  seed: number
  numRuns: number
}

export interface TargetStats {
  cases: number
  /** Cases that ended in a result rather than a named error. */
  accepted: number
  /** Slowest case, ms. */
  maxMs: number
}

export interface FuzzTarget {
  name: string
  run(opts: FuzzOptions): Promise<TargetStats>
}

/** Longest a case may take before it counts as a hang. */
export const HANG_MS = 5000

/** Throws unless `err` is an AppError with one of `codes` whose message names `name`. */
export function expectNamed(err: unknown, name: string, codes: readonly ErrorCode[]): void {
  if (!(err instanceof AppError)) {
    const where = err instanceof Error ? (err.stack ?? '').split('\n').slice(1, 4).map((l) => l.trim()).join(' < ') : ''
    throw new Error(`${name}: unnamed failure ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)} (${where})`)
  }
  if (!codes.includes(err.code)) throw new Error(`${name}: unexpected code ${err.code}: ${err.message}`)
  if (!err.message.includes(name)) throw new Error(`${name}: the error does not name the file: ${err.message}`)
}

/**
 * Runs `check` on every drawn value with fast-check, timing each case. A failure throws one short line:
 * the error and `label` of the shrunk counterexample (not its bytes).
 */
async function assertCases<T>(arb: fc.Arbitrary<T>, opts: FuzzOptions, label: (v: T) => string, check: (v: T) => Promise<boolean>): Promise<TargetStats> {
  const stats: TargetStats = { cases: 0, accepted: 0, maxMs: 0 }
  const details = await fc.check(
    fc.asyncProperty(arb, async (v) => {
      const t0 = performance.now()
      const ok = await check(v)
      const ms = performance.now() - t0
      stats.cases++
      if (ok) stats.accepted++
      stats.maxMs = Math.max(stats.maxMs, ms)
      if (ms > HANG_MS) throw new Error(`case took ${Math.round(ms)} ms (over ${HANG_MS} ms)`)
    }),
    { seed: opts.seed, numRuns: opts.numRuns, timeout: HANG_MS * 2, endOnFailure: true },
  )
  if (details.failed) {
    const err = details.errorInstance
    const what = details.counterexample ? label(details.counterexample[0]) : 'no counterexample'
    throw new Error(`${what} (seed ${opts.seed}, path ${details.counterexamplePath}): ${err instanceof Error ? err.message : String(err)}`)
  }
  return stats
}

const fileLabel = (f: { name: string; bytes: Buffer }): string => `${f.name}, ${f.bytes.length} bytes`

const imageTarget: FuzzTarget = {
  name: 'images (PNG, JPEG, WebP, TIFF, 16-bit, multiband GeoTIFF)',
  async run(opts) {
    const seeds = await imageSeeds()
    return assertCases(damagedFile(seeds), opts, fileLabel, async (file) => {
      try {
        await decodeImage(file.bytes, file.name)
        return true
      } catch (err) {
        expectNamed(err, file.name, ['DECODE_FAILED'])
        return false
      }
    })
  },
}

const maskTarget: FuzzTarget = {
  name: 'mask PNGs (index, 1-bit, VOC palette)',
  async run(opts) {
    return assertCases(damagedFile(maskSeeds()), opts, fileLabel, async (file) => {
      try {
        decodeMaskPng(file.bytes, file.name)
        return true
      } catch (err) {
        expectNamed(err, file.name, ['DECODE_FAILED'])
        return false
      }
    })
  },
}

const coord = fc.oneof(fc.integer({ min: -8, max: 40 }), fc.double({ noNaN: false }), fc.constant(1e12))
const segmentation = fc.oneof(
  fc.array(fc.array(coord, { maxLength: 12 }), { maxLength: 3 }),
  fc.record({ size: fc.tuple(coord, coord), counts: fc.oneof(fc.array(fc.integer({ min: -3, max: 600 }), { maxLength: 12 }), fc.string({ maxLength: 20 })) }),
  fc.anything(),
)
const cocoDataset = fc.record({
  images: fc.array(fc.record({ id: fc.oneof(fc.nat(4), fc.string({ maxLength: 3 })), file_name: fc.constantFrom('a.png', 'b.png', 'x/a.png', ''), width: coord, height: coord }), { maxLength: 4 }),
  annotations: fc.array(fc.record({ id: fc.nat(), image_id: fc.oneof(fc.nat(4), fc.string({ maxLength: 3 })), category_id: fc.nat(4), segmentation, iscrowd: fc.constantFrom(0, 1), area: coord, bbox: fc.array(coord, { maxLength: 4 }) }), { maxLength: 6 }),
  categories: fc.array(fc.record({ id: fc.nat(4), name: fc.constantFrom('road', 'car', 'ground', 'other', '') }), { maxLength: 4 }),
})
/** A COCO file: a drawn dataset as JSON, sometimes cut short or with a field of the wrong type. */
const cocoText = fc.oneof(
  { arbitrary: cocoDataset.map((d) => JSON.stringify(d)), weight: 6 },
  { arbitrary: fc.tuple(cocoDataset, fc.nat()).map(([d, cut]) => JSON.stringify(d).slice(0, cut % 200)), weight: 2 },
  { arbitrary: fc.json(), weight: 1 },
  { arbitrary: fc.string({ maxLength: 100 }), weight: 1 },
)

const cocoTarget: FuzzTarget = {
  name: 'COCO JSON (polygons, RLE) and VOC labelmap.txt',
  async run(opts) {
    const classes = ['ground', 'road', 'car'].map((name, index) => ({ index, name, color: '#000000' }))
    const match = createImageMatcher([{ id: 1, relPath: 'a.png' }, { id: 2, relPath: 'x/b.png' }])
    return assertCases(fc.tuple(cocoText, fc.string({ maxLength: 80 })), opts, ([t, l]) => `COCO ${JSON.stringify(t.slice(0, 300))}, labelmap ${JSON.stringify(l)}`, async ([text, labelmap]) => {
      let accepted = true
      try {
        const plan = planCocoImport(parseCocoJson(text, 'annotations.json'), classes, match)
        for (const item of plan.items) rasterizeCocoItem(item, plan.mapping, 20, 16, 'annotations.json')
      } catch (err) {
        expectNamed(err, 'annotations.json', ['DECODE_FAILED', 'INVALID_INPUT', 'MASK_SIZE'])
        accepted = false
      }
      try {
        parseLabelmapTxt(labelmap, 'labelmap.txt')
      } catch (err) {
        expectNamed(err, 'labelmap.txt', ['DECODE_FAILED'])
      }
      return accepted
    })
  },
}

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex')

/** Project files: a damaged copy of a real project, a newer schema, a foreign SQLite file, random bytes. */
const projectTarget: FuzzTarget = {
  name: 'project files (truncated, damaged, foreign SQLite, newer schema)',
  async run(opts) {
    const dir = mkdtempSync(join(tmpdir(), 'labelloop-fuzz-project-'))
    await writeSquaresProject(join(dir, 'seed.labelloop'), { count: 3, labeled: 2, size: 16 })
    const seed = { name: 'seed.labelloop', bytes: readFileSync(join(dir, 'seed.labelloop')) }
    const newer = fc.integer({ min: LATEST_SCHEMA_VERSION + 1, max: 1 << 20 }).map((v) => {
      const bytes = Buffer.from(seed.bytes)
      bytes.writeUInt32BE(v, 60)
      return bytes
    })
    const foreign = fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 3 }).map((tables) => {
      const file = join(dir, 'foreign.sqlite')
      const db = new Database(file)
      for (const t of new Set(tables)) db.exec(`CREATE TABLE IF NOT EXISTS "${t}" (x)`)
      db.close()
      const bytes = readFileSync(file)
      writeFileSync(file, '')
      return bytes
    })
    const damaged = damagedFile([seed]).map((s) => s.bytes)
    const files = fc.oneof({ arbitrary: damaged, weight: 6 }, { arbitrary: newer, weight: 1 }, { arbitrary: foreign, weight: 1 })
    let n = 0
    try {
      return await assertCases(files, opts, (b) => `project file of ${b.length} bytes, header ${b.subarray(0, 16).toString('latin1')}`, async (bytes) => {
        const file = join(dir, `case-${n++}.labelloop`)
        writeFileSync(file, bytes)
        const before = sha(file)
        let store: ProjectStore
        try {
          store = ProjectStore.open(file)
        } catch (err) {
          expectNamed(err, file, ['NOT_A_PROJECT', 'CORRUPT_PROJECT', 'NEWER_VERSION', 'IO'])
          if (sha(file) !== before) throw new Error(`${file}: a refused project file was changed`)
          return false
        }
        try {
          store.info()
          for (const image of store.images.list({ limit: 100 }).items) {
            store.masks.current(image.id)
            store.images.original(image.id)
          }
          return true
        } catch (err) {
          expectNamed(ProjectStore.mapError(err, file), file, ['CORRUPT_PROJECT', 'IO'])
          return false
        } finally {
          store.close()
        }
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  },
}

const httpTarget: FuzzTarget = {
  name: 'contract payloads over HTTP (web host)',
  run: (opts) => runHttpTarget(opts),
}

export const TARGETS: readonly FuzzTarget[] = [imageTarget, maskTarget, cocoTarget, projectTarget, httpTarget]
