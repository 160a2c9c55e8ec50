/**
 * Writes the generated sample project (core/sample) into a project file through the store: images are
 * decoded like any import and masks saved as 'import' revisions. It is built under a temporary name and
 * renamed into place, so an interrupted build never leaves a half-written sample behind.
 */
import { existsSync, renameSync, rmSync } from 'node:fs'
import { resolve } from 'node:path'
import { AppError } from '../../core/contract'
import { contentHash, decodeImage, encodeMaskPng, maskClassCounts } from '../../core/imaging'
import { ProjectStore } from '../../core/project'
import { generateSample } from '../../core/sample'

/** Builds the sample project at `path` (replacing a previous file there) and leaves it closed. */
export async function writeSampleProject(path: string, opts: { seed?: number } = {}): Promise<void> {
  const file = resolve(path)
  const tmp = `${file}.building-${process.pid}`
  const removeTmp = (): void => {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true })
  }
  removeTmp()
  const sample = await generateSample({ seed: opts.seed })
  const store = ProjectStore.create(tmp, sample.name, sample.classes)
  try {
    const classCount = sample.classes.length
    for (const img of sample.images) {
      const decoded = await decodeImage(img.png, img.name)
      store.write(() => {
        const id = store.images.insert({
          name: img.name, relPath: img.name, contentHash: contentHash(img.png), width: decoded.width,
          height: decoded.height, bands: decoded.bands, bitDepth: decoded.bitDepth, format: decoded.format,
          original: img.png, display: decoded.display, displayMime: decoded.displayMime,
          thumbnail: decoded.thumbnail, thumbnailMime: decoded.thumbnailMime,
        })
        if (img.mask) {
          const counts = maskClassCounts(img.mask, classCount)
          if (counts.unknown.length > 0) {
            throw new AppError('INTERNAL', `Sample mask ${img.name} uses unknown classes ${counts.unknown.join(', ')}`)
          }
          store.masks.save(id, {
            png: encodeMaskPng(img.mask, decoded.width, decoded.height),
            source: 'import',
            labeledFraction: counts.labeled / img.mask.length,
            classPixels: counts.classPixels,
          })
        }
      })
    }
    store.close()
    if (existsSync(file)) rmSync(file)
    for (const f of [`${file}-wal`, `${file}-shm`]) rmSync(f, { force: true })
    renameSync(tmp, file)
  } catch (err) {
    store.close()
    removeTmp()
    throw err
  }
}
