/**
 * A small constructed project for the "Label next" tests: flat-colour images (real thumbnails), masks
 * given per image, and an active model whose stored predictions (mask + confidence per pixel) the test
 * writes directly, so the ranking is tested without training anything.
 */
import sharp from 'sharp'
import { contentHash, decodeImage, encodeMaskPng, maskClassCounts } from '../imaging'
import { ProjectStore } from '../project'
import { RoundRepo } from '../train/loop/round-repo'

export interface TestImage {
  name: string
  /** Flat RGB colour of the whole image. */
  rgb: [number, number, number]
  /** Current label (255 = unlabeled), or none. */
  mask?: Uint8Array
  /** The active model's prediction: arg-max class and confidence 0..1 per pixel. */
  prediction?: { mask: Uint8Array; confidence: Float32Array }
}

export const SIZE = 32

/** A SIZE² map filled by `f(x, y)`. */
export function mapOf<T extends Uint8Array | Float32Array>(make: (n: number) => T, f: (x: number, y: number) => number): T {
  const out = make(SIZE * SIZE)
  for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) out[y * SIZE + x] = f(x, y)
  return out
}

export const bytes = (f: (x: number, y: number) => number): Uint8Array => mapOf((n) => new Uint8Array(n), f)
export const floats = (f: (x: number, y: number) => number): Float32Array => mapOf((n) => new Float32Array(n), f)

/** Inserts a finished training run with one checkpoint (placeholder weights) and returns its id. */
export function addModel(store: ProjectStore): { runId: number; checkpointId: number } {
  return store.write(() => {
    const at = new Date().toISOString()
    const run = store.db.prepare(`INSERT INTO runs (created_at, status, config, kind) VALUES (?, 'done', '{}', 'train')`).run(at)
    const runId = Number(run.lastInsertRowid)
    const cp = store.db.prepare(`INSERT INTO checkpoints (run_id, epoch, created_at, topology, weights) VALUES (?, 1, ?, '{}', ?)`).run(runId, at, Buffer.alloc(4))
    return { runId, checkpointId: Number(cp.lastInsertRowid) }
  })
}

/**
 * Creates the project at `path` with `classes`, the images in order (ids 1, 2, …), and, when any image
 * has a prediction, an active model with one finished round holding them. Returns the open store.
 */
export async function writeSuggestProject(path: string, classes: readonly string[], images: readonly TestImage[]): Promise<ProjectStore> {
  const store = ProjectStore.create(path, 'Suggest', classes.map((name) => ({ name })))
  const ids: number[] = []
  for (const img of images) {
    const [r, g, b] = img.rgb
    const png = await sharp({ create: { width: SIZE, height: SIZE, channels: 3, background: { r, g, b } } }).png().toBuffer()
    const d = await decodeImage(png, img.name)
    store.write(() => {
      const id = store.images.insert({
        name: img.name, relPath: img.name, contentHash: contentHash(png), width: SIZE, height: SIZE, bands: d.bands, bitDepth: d.bitDepth,
        format: d.format, original: png, display: d.display, displayMime: d.displayMime, thumbnail: d.thumbnail, thumbnailMime: d.thumbnailMime,
      })
      ids.push(id)
      if (img.mask) {
        const counts = maskClassCounts(img.mask, classes.length)
        store.masks.save(id, { png: encodeMaskPng(img.mask, SIZE, SIZE), source: 'human', labeledFraction: counts.labeled / img.mask.length, classPixels: counts.classPixels })
      }
    })
  }
  if (images.some((i) => i.prediction)) {
    const { runId, checkpointId } = addModel(store)
    const rounds = new RoundRepo(store)
    const roundId = rounds.create(runId, checkpointId, {})
    images.forEach((img, k) => {
      if (img.prediction) rounds.add(roundId, ids[k], { width: SIZE, height: SIZE, ...img.prediction })
    })
    rounds.finish(roundId, 'done')
  }
  return store
}
