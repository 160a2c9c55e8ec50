/**
 * A tiny generated project for the training tests: RGB squares-on-dark images (core/train/loop
 * test-data), the first `labeled` of them with masks, stored like an import.
 */
import sharp from 'sharp'
import { contentHash, decodeImage, encodeMaskPng, maskClassCounts } from '../../../core/imaging'
import { ProjectStore } from '../../../core/project'
import { squaresDataset } from '../../../core/train/loop/test-data'

/** Creates the project at `path` and returns the ground-truth masks by image name. */
export async function writeSquaresProject(path: string, opts: { count: number; labeled: number; size: number; seed?: number }): Promise<Map<string, Uint8Array>> {
  const images = squaresDataset(opts.count, opts.size, opts.seed ?? 1)
  const store = ProjectStore.create(path, 'Squares', [{ name: 'background' }, { name: 'square' }])
  const truth = new Map<string, Uint8Array>()
  try {
    for (const [i, img] of images.entries()) {
      const png = await sharp(Buffer.from(img.pixels.data.buffer), { raw: { width: opts.size, height: opts.size, channels: 3 } }).png().toBuffer()
      const decoded = await decodeImage(png, img.name)
      truth.set(img.name, img.mask)
      store.write(() => {
        const id = store.images.insert({
          name: img.name, relPath: img.name, contentHash: contentHash(png), width: decoded.width, height: decoded.height,
          bands: decoded.bands, bitDepth: decoded.bitDepth, format: decoded.format, original: png, display: decoded.display,
          displayMime: decoded.displayMime, thumbnail: decoded.thumbnail, thumbnailMime: decoded.thumbnailMime,
        })
        if (i < opts.labeled) {
          const counts = maskClassCounts(img.mask, 2)
          store.masks.save(id, { png: encodeMaskPng(img.mask, opts.size, opts.size), source: 'human', labeledFraction: counts.labeled / img.mask.length, classPixels: counts.classPixels })
        }
      })
    }
  } finally {
    store.close()
  }
  return truth
}
