/**
 * Template projects for the crash scenarios, built once and copied for every kill point: image folders,
 * a squares project, a trained one, one with a pseudo-label round, and a project at schema version 1.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import sharp from 'sharp'
import { encodeMaskPng, maskClassCounts } from '../../../core/imaging'
import { APP_ID, APP_MARKER, migrate } from '../../../core/project/migrations'
import { writeSquaresProject } from '../../../main/services/training/test-project'
import { startCli } from './child'
import { openHost, sha256 } from './checks'
import { mulberry32 } from './random'

export const PROJECT = 'p.labelloop'
/** Tiny model options shared by the training scenarios, so a kill lands in epochs, not in start-up. */
export const TINY = ['--size', '32', '--batch', '2', '--depth', '3', '--base', '8', '--seed', '3']

/** Writes `count` noisy RGB PNGs (noise keeps decoding and hashing busy) into `dir`. */
export async function writeNoisePngs(dir: string, count: number, size: number, seed: number): Promise<void> {
  mkdirSync(dir, { recursive: true })
  const random = mulberry32(seed)
  for (let i = 0; i < count; i++) {
    const data = Buffer.alloc(size * size * 3)
    for (let j = 0; j < data.length; j++) data[j] = Math.floor(random() * 256)
    writeFileSync(join(dir, `tile-${String(i).padStart(3, '0')}.png`), await sharp(data, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer())
  }
}

/** Runs the real CLI to its end (no kill) to build a template; throws with its stderr on failure. */
export async function cliToEnd(argv: readonly string[], cwd: string, home: string): Promise<string> {
  const child = startCli(argv, cwd, home)
  const end = await child.exited
  if (end.code !== 0) throw new Error(`labelloop ${argv.join(' ')} failed (${end.code}): ${child.stderr()}`)
  return child.stdout()
}

/** A project with four imported 96×96 images, for the mask-save burst. */
export async function burstTemplate(dir: string): Promise<void> {
  await writeNoisePngs(join(dir, 'imgs'), 4, 96, 1)
  const host = await openHostCreating(join(dir, PROJECT))
  await host.dispatch('images:import', { jobId: 'template', paths: [join(dir, 'imgs')] })
  await host.close()
}

async function openHostCreating(file: string): ReturnType<typeof openHost> {
  const { ProjectStore } = await import('../../../core/project')
  ProjectStore.create(file, 'Crash', [{ name: 'ground' }, { name: 'road' }]).close()
  return openHost(file)
}

/** An empty project and a folder of 24 noisy 256² PNGs to import. */
export async function importTemplate(dir: string): Promise<void> {
  await writeNoisePngs(join(dir, 'imgs'), 24, 256, 2)
  const { ProjectStore } = await import('../../../core/project')
  ProjectStore.create(join(dir, PROJECT), 'Crash', [{ name: 'ground' }, { name: 'road' }]).close()
}

/** The squares project of the training tests: 10 images of 32², 6 labeled. */
export async function squaresTemplate(dir: string): Promise<void> {
  await writeSquaresProject(join(dir, PROJECT), { count: 10, labeled: 6, size: 32 })
}

/**
 * A squares project of 46 images of 64², 6 labeled, after one short training run (an active model to
 * predict with). Its 40 unlabeled images make a pseudo-label round long enough that a kill at its second
 * image lands mid-round on any machine.
 */
export async function trainedTemplate(dir: string, home: string): Promise<void> {
  await writeSquaresProject(join(dir, PROJECT), { count: 46, labeled: 6, size: 64 })
  await cliToEnd(['train', PROJECT, '--epochs', '1', ...TINY, '--json'], dir, home)
}

/** The trained project with a done pseudo-label round of its unlabeled images, all pending. */
export async function roundTemplate(dir: string, home: string): Promise<void> {
  await trainedTemplate(dir, home)
  await cliToEnd(['predict', PROJECT, '--round', '--json'], dir, home)
}

/** A squares project of 40 fully labeled 128² images, for the export. */
export async function exportTemplate(dir: string): Promise<void> {
  await writeSquaresProject(join(dir, PROJECT), { count: 40, labeled: 40, size: 128 })
}

/**
 * A project written at schema version 1 (the first release's schema) with 300 images and masks, so
 * opening it runs every later migration.
 */
export function schemaV1Template(dir: string): { images: number } {
  const db = new Database(join(dir, PROJECT))
  db.pragma('page_size = 16384')
  db.pragma('journal_mode = WAL')
  migrate(db, 1)
  db.pragma(`application_id = ${APP_ID}`)
  const images = 300
  db.transaction(() => {
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?), (?, ?), (?, ?)').run('app', APP_MARKER, 'name', 'Old', 'created_at', new Date(0).toISOString())
    db.prepare('INSERT INTO classes ("index", name, color) VALUES (0, ?, ?), (1, ?, ?)').run('ground', '#808080', 'road', '#ff0000')
    const image = db.prepare(`INSERT INTO images (name, rel_path, content_hash, width, height, bands, bit_depth, format, byte_size, added_at)
                              VALUES (?, ?, ?, 16, 16, 3, 8, 'png', ?, ?)`)
    const blob = db.prepare(`INSERT INTO image_blobs (image_id, thumb_mime, display_mime, thumbnail, display, original) VALUES (?, 'image/png', 'image/png', ?, NULL, ?)`)
    const rev = db.prepare(`INSERT INTO mask_revisions (image_id, png, source, created_at, labeled_fraction, class_pixels) VALUES (?, ?, 'human', ?, 1, ?)`)
    const mask = db.prepare(`INSERT INTO masks (image_id, revision_id, labeled_fraction, source, updated_at) VALUES (?, ?, 1, 'human', ?)`)
    const px = db.prepare('INSERT INTO image_class_pixels (image_id, class_index, pixels, source) VALUES (?, ?, ?, ?)')
    for (let i = 0; i < images; i++) {
      const original = Buffer.alloc(4096, i % 251)
      const id = Number(image.run(`old-${i}.png`, `old-${i}.png`, sha256(Buffer.from(`old-${i}`)), original.length, new Date(0).toISOString()).lastInsertRowid)
      blob.run(id, original.subarray(0, 256), original)
      const data = new Uint8Array(256).map((_, j) => (j + i) % 2)
      const counts = maskClassCounts(data, 2)
      const revisionId = Number(rev.run(id, encodeMaskPng(data, 16, 16), new Date(0).toISOString(), JSON.stringify(counts.classPixels)).lastInsertRowid)
      mask.run(id, revisionId, new Date(0).toISOString())
      counts.classPixels.forEach((n, c) => px.run(id, c, n, 'human'))
    }
  })()
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  return { images }
}
