/**
 * COCO JSON for semantic segmentation: reading (validated, with errors naming the file) and writing.
 * LabelLoop writes one annotation per class per image, its segmentation a compressed RLE of every pixel
 * of that class (unlabeled 255 pixels belong to no annotation), `iscrowd: 0` as in COCO-Stuff, `area` the
 * pixel count and `bbox` [x, y, width, height] in pixels. Category ids are class index + 1, because COCO
 * tools commonly treat category 0 as invalid; imports map categories by name, not by id.
 */
import { z } from 'zod'
import { AppError, type ClassDef } from '../contract'
import { compressRleCounts, encodeRleCounts, regionStats, type CocoRle } from './rle'

const Id = z.union([z.number().int(), z.string()])
const Rle = z.object({
  size: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
  counts: z.union([z.array(z.number().int().nonnegative()), z.string()]),
})
const Polygons = z.array(z.array(z.number()))

export const CocoImage = z.looseObject({
  id: Id,
  file_name: z.string().min(1),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
})
export type CocoImage = z.infer<typeof CocoImage>

export const CocoCategory = z.looseObject({ id: z.number().int(), name: z.string(), supercategory: z.string().optional() })
export type CocoCategory = z.infer<typeof CocoCategory>

export const CocoAnnotation = z.looseObject({
  id: Id.optional(),
  image_id: Id,
  category_id: z.number().int(),
  /** RLE (either form) or polygons; an annotation with only a bbox has no pixels to import. */
  segmentation: z.union([Rle, Polygons]).optional(),
  area: z.number().optional(),
  bbox: z.array(z.number()).optional(),
  iscrowd: z.number().int().optional(),
})
export type CocoAnnotation = z.infer<typeof CocoAnnotation>

export const CocoDataset = z.looseObject({
  images: z.array(CocoImage),
  annotations: z.array(CocoAnnotation),
  categories: z.array(CocoCategory),
})
export type CocoDataset = z.infer<typeof CocoDataset>

/**
 * Parses and validates a COCO annotation file. DECODE_FAILED naming `fileName` and the problem (invalid
 * JSON with the parser's reason, or the first field that is not COCO).
 */
export function parseCocoJson(text: string, fileName: string): CocoDataset {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new AppError('DECODE_FAILED', `${fileName}: not valid JSON (${err instanceof Error ? err.message : String(err)})`, fileName)
  }
  const parsed = CocoDataset.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue.path.length > 0 ? issue.path.join('.') : 'the top level'
    throw new AppError('DECODE_FAILED', `${fileName}: not a COCO annotation file (${where}: ${issue.message})`, fileName)
  }
  return parsed.data
}

/** COCO categories of the project's classes (id = index + 1). */
export function cocoCategories(classes: readonly ClassDef[]): CocoCategory[] {
  return classes.map((c) => ({ id: c.index + 1, name: c.name, supercategory: 'class', color: c.color }))
}

/** One image's mask, as the COCO writer takes it: row-major class indices, 255 = unlabeled. */
export interface CocoMaskInput {
  imageId: number
  fileName: string
  width: number
  height: number
  data: Uint8Array
}

/**
 * Accumulates images and their per-class RLE annotations. Adding an image encodes its mask at once, so
 * only the compact RLE strings stay in memory while a large project is exported.
 */
export class CocoWriter {
  private readonly images: CocoImage[] = []
  private readonly annotations: CocoAnnotation[] = []

  constructor(private readonly classes: readonly ClassDef[]) {}

  /** Adds the image and one annotation per class present in its mask; returns how many annotations. */
  add(mask: CocoMaskInput): number {
    const { width, height, data } = mask
    this.images.push({ id: mask.imageId, file_name: mask.fileName, width, height })
    const present = new Uint8Array(256)
    for (let i = 0; i < data.length; i++) present[data[i]] = 1
    let added = 0
    for (const c of this.classes) {
      if (!present[c.index]) continue
      const { area, bbox } = regionStats(data, width, height, c.index)
      if (bbox === null) continue
      const segmentation: CocoRle = { size: [height, width], counts: compressRleCounts(encodeRleCounts(data, width, height, c.index)) }
      this.annotations.push({
        id: this.annotations.length + 1,
        image_id: mask.imageId,
        category_id: c.index + 1,
        segmentation,
        area,
        bbox,
        iscrowd: 0,
      })
      added++
    }
    return added
  }

  /** The whole dataset, ready for JSON.stringify. */
  dataset(description: string): CocoDataset & { info: Record<string, string> } {
    return {
      info: { description, date_created: new Date().toISOString(), contributor: 'LabelLoop' },
      images: this.images,
      annotations: this.annotations,
      categories: cocoCategories(this.classes),
    }
  }
}
