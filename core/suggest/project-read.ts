/**
 * What the ranking reads from a project: images with their labeled share, the active model's newest
 * stored prediction of each (pseudo-label rounds and plain predictions are both rounds), current
 * masks, per-class labeled pixels and thumbnails (for the colour feature).
 */
import sharp from 'sharp'
import { decode } from 'fast-png'
import { decodeMaskPng } from '../imaging'
import type { ProjectStore } from '../project'
import type { PredictionMaps } from './uncertainty'

export interface ImageRow {
  id: number
  name: string
  width: number
  height: number
  labeledFraction: number
}

/** Every image of the project, oldest first, with its current mask's labeled share (0 without one). */
export function imageRows(store: ProjectStore): ImageRow[] {
  return store.db
    .prepare(`SELECT i.id, i.name, i.width, i.height, COALESCE(m.labeled_fraction, 0) AS labeledFraction
              FROM images i LEFT JOIN masks m ON m.image_id = i.id ORDER BY i.id`)
    .all() as ImageRow[]
}

/** The newest prediction of `imageId` by run `runId`, decoded; null when there is none or it does not fit. */
export function storedMaps(store: ProjectStore, runId: number, image: ImageRow): PredictionMaps | null {
  const row = store.db
    .prepare(`SELECT p.mask_png AS mask, p.confidence_png AS confidence FROM pseudo_labels p JOIN rounds r ON r.id = p.round_id
              WHERE p.image_id = ? AND r.run_id = ? ORDER BY p.round_id DESC LIMIT 1`)
    .get(image.id, runId) as { mask: Buffer; confidence: Buffer | null } | undefined
  if (!row || !row.confidence) return null
  const mask = decodeMaskPng(row.mask, `prediction of ${image.name}`)
  const conf = decode(row.confidence)
  const confidence = conf.data instanceof Uint8Array ? conf.data : Uint8Array.from(conf.data)
  if (mask.width !== image.width || mask.height !== image.height || confidence.length !== mask.data.length) return null
  return { width: mask.width, height: mask.height, mask: mask.data, confidence }
}

/** The current label of an image (255 = unlabeled), or null without one. */
export function currentLabels(store: ProjectStore, image: ImageRow): Uint8Array | null {
  const m = store.masks.current(image.id)
  if (!m) return null
  const d = decodeMaskPng(m.png, `mask of ${image.name}`)
  return d.width === image.width && d.height === image.height ? d.data : null
}

/** Side of the small rendition the colour feature is taken from. */
export const THUMB_SIDE = 32

/** The image's thumbnail as THUMB_SIDE² interleaved 8-bit pixels; null when it cannot be decoded. */
export async function thumbPixels(store: ProjectStore, imageId: number): Promise<{ data: Uint8Array; width: number; height: number; channels: number } | null> {
  try {
    const { bytes } = store.images.rendition(imageId, 'thumb')
    const { data, info } = await sharp(bytes).resize(THUMB_SIDE, THUMB_SIDE, { fit: 'fill' }).removeAlpha().raw().toBuffer({ resolveWithObject: true })
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, channels: info.channels }
  } catch {
    return null
  }
}
