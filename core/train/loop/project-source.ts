/**
 * The TrainingSource of a project file: labeled images are those whose current mask (human labels,
 * imports or accepted pseudo-labels) labels at least one pixel; pixels come from the stored original
 * bytes at full precision (core/imaging readPixels), masks from their indexed PNGs.
 */
import { AppError, type MaskSource, type Preset } from '../../contract'
import { accumulate, computeBalance, recommendPreset, type ImageClassCounts } from '../../balance'
import { decodeMaskPng, readPixels, readPixelsFromFile } from '../../imaging'
import type { ProjectStore } from '../../project'
import { toChannels, type LabeledRef, type PixelImage, type TrainingSource } from './data-source'
import { normalise, type Normalisation } from './normalisation'
import type { RowSource } from './predict'

/** Images of a project to predict: without any labeled pixel, or all of them. */
export function imagesToPredict(store: ProjectStore, which: 'unlabeled' | 'all'): LabeledRef[] {
  const where = which === 'all' ? '' : 'WHERE m.image_id IS NULL OR m.labeled_fraction <= 0'
  return store.db
    .prepare(`SELECT i.id, i.name, i.width, i.height FROM images i LEFT JOIN masks m ON m.image_id = i.id ${where} ORDER BY i.id`)
    .all() as LabeledRef[]
}

/** Decoded pixels of a stored image. */
export async function projectPixels(store: ProjectStore, imageId: number): Promise<PixelImage> {
  const src = store.images.originalSource(imageId)
  // A linked original is read from its (checked) file, so its bytes need not be held beside its pixels.
  const px = src.kind === 'file' ? await readPixelsFromFile(src.path, src.name) : await readPixels(src.bytes, src.name)
  return { width: px.width, height: px.height, channels: px.channels, data: px.data, hasAlpha: px.hasAlpha }
}

/**
 * Normalised rows of a stored image for banded prediction: the original is decoded once at its own
 * precision (8-bit RGB: 3 bytes a pixel), and each band is converted to `channels` float channels and
 * normalised only when asked for, so no whole-image float copy exists.
 */
export async function projectRows(store: ProjectStore, imageId: number, channels: number, norm: Normalisation): Promise<RowSource> {
  return pixelRows(await projectPixels(store, imageId), channels, norm)
}

/** A decoded image as a RowSource: rows converted to `channels` channels and normalised per request. */
export function pixelRows(px: PixelImage, channels: number, norm: Normalisation): RowSource {
  const stride = px.width * px.channels
  return {
    width: px.width,
    height: px.height,
    channels,
    rows: (y0, y1) => {
      const view = { ...px, height: y1 - y0, data: px.data.subarray(y0 * stride, y1 * stride) }
      return normalise(toChannels(view, channels), norm)
    },
  }
}

/** A TrainingSource reading a project through `store`. */
export function projectSource(store: ProjectStore): TrainingSource {
  return {
    classes: () => store.classes(),
    labeledImages: async () =>
      (store.db
        .prepare('SELECT i.id, i.name, i.width, i.height, m.source FROM masks m JOIN images i ON i.id = m.image_id WHERE m.labeled_fraction > 0 ORDER BY i.id')
        .all() as (LabeledRef & { source: string })[]).map(({ source, ...ref }) => ({ ...ref, pseudo: source === 'pseudo-accepted' })),
    pixels: (id) => projectPixels(store, id),
    mask: async (id) => {
      const current = store.masks.current(id)
      if (!current) throw new AppError('NOT_FOUND', `image ${id} of ${store.path} has no mask`)
      return decodeMaskPng(current.png, `mask of image ${id}`).data
    },
    unlabeledImages: async () => imagesToPredict(store, 'unlabeled'),
  }
}

/** The preset core/balance recommends for the project's current labels (human and accepted pseudo-labels). */
export function recommendedPreset(store: ProjectStore): { preset: Preset; reason: string } {
  const classes = store.classes()
  const rows = store.db.prepare('SELECT image_id, class_index, pixels, source FROM image_class_pixels ORDER BY image_id').all() as {
    image_id: number
    class_index: number
    pixels: number
    source: MaskSource
  }[]
  const images = new Map<number, ImageClassCounts & { counts: number[] }>()
  for (const r of rows) {
    if (r.class_index >= classes.length) continue
    let entry = images.get(r.image_id)
    if (!entry) {
      entry = { counts: new Array<number>(classes.length).fill(0), source: r.source }
      images.set(r.image_id, entry)
    }
    entry.counts[r.class_index] = r.pixels
  }
  const stats = computeBalance(accumulate(images.values(), classes.length).totals(), { names: classes.map((c) => c.name) })
  const rec = recommendPreset(stats)
  return { preset: rec.preset, reason: rec.reason }
}
