/**
 * Validation shared by mask import and masks:save: a mask must decode as class indices, have its image's
 * size and use only the project's class indices or 255 (unlabeled). The stored form is re-encoded as a
 * canonical 8-bit indexed PNG with its pixel counts, ready for the store.
 */
import { AppError, MAX_CLASSES } from '../../core/contract'
import { decodeMaskPng, encodeMaskPng, maskClassCounts } from '../../core/imaging'
import type { NewMaskRevision } from '../../core/project'

/** The size and name of the image a mask belongs to. */
export interface MaskTarget {
  name: string
  width: number
  height: number
}

/**
 * Decodes and checks `bytes` as the mask of `image`. Throws DECODE_FAILED, MASK_SIZE or MASK_CLASS with
 * a message naming `fileName` and the problem.
 */
export function checkMask(
  bytes: Uint8Array,
  fileName: string,
  image: MaskTarget,
  classCount: number,
  source: NewMaskRevision['source'],
): NewMaskRevision {
  const mask = decodeMaskPng(bytes, fileName)
  if (mask.width !== image.width || mask.height !== image.height) {
    throw new AppError(
      'MASK_SIZE',
      `${fileName} is ${mask.width}×${mask.height} but its image ${image.name} is ${image.width}×${image.height}`,
      fileName,
    )
  }
  const counts = maskClassCounts(mask.data, Math.min(classCount, MAX_CLASSES - 1))
  if (counts.unknown.length > 0) {
    const shown = counts.unknown.slice(0, 8).join(', ') + (counts.unknown.length > 8 ? ', …' : '')
    throw new AppError(
      'MASK_CLASS',
      `${fileName} uses class ${counts.unknown.length === 1 ? 'index' : 'indices'} ${shown}, which the project does not have (classes 0–${classCount - 1}; 255 = unlabeled)`,
      fileName,
    )
  }
  const total = mask.width * mask.height
  return {
    png: encodeMaskPng(mask.data, mask.width, mask.height),
    source,
    labeledFraction: total === 0 ? 0 : counts.labeled / total,
    classPixels: counts.classPixels,
  }
}
