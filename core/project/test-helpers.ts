/** Fixtures shared by the store's tests: temp folders and synthetic image records (no decoding needed). */
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { NewImage } from './image-repo'

/** A fresh temp folder and a function that removes it. */
export function tempDir(prefix = 'labelloop-store-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** A synthetic image record whose hash is unique per `seed`. */
export function fakeImage(seed: number | string, name = `img-${seed}.png`, size = 64): NewImage {
  const original = Buffer.from(`original-${seed}`)
  return {
    name,
    relPath: `folder/${name}`,
    contentHash: createHash('sha256').update(original).digest('hex'),
    width: size,
    height: size,
    bands: 3,
    bitDepth: 8,
    format: 'png',
    original,
    display: Buffer.from(`display-${seed}`),
    displayMime: 'image/png',
    thumbnail: Buffer.from(`thumb-${seed}`),
    thumbnailMime: 'image/webp',
  }
}
