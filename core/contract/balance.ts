/**
 * Class balance as the UI and the CLI see it: per-class pixel and image counts (human labels, accepted
 * pseudo-labels and both), the weights of each class-weighting scheme, plain-language warnings and the
 * training preset to start from, plus the per-image class composition behind the Balance view's table.
 */
import { z } from 'zod'
import { HexColor } from './model'
import { Preset } from './train'

/** Labeled pixels of one class and the images that contain it, within one group of labels. */
export const BalanceCount = z.object({ pixels: z.number(), images: z.number().int() })
export type BalanceCount = z.infer<typeof BalanceCount>

/** One class's numbers over all labels (human + accepted pseudo-labels), and each group apart. */
export const BalanceClass = z.object({
  index: z.number().int(),
  name: z.string(),
  color: HexColor,
  /** Labeled pixels of the class. */
  pixels: z.number(),
  /** Part of all labeled pixels, 0..1. */
  share: z.number(),
  /** Images containing at least one pixel of the class. */
  images: z.number().int(),
  /** SegNet frequency: pixels of the class / labeled pixels of the images that contain it. */
  frequency: z.number(),
  /** Human labels ('human' and 'import' mask revisions). */
  human: BalanceCount,
  /** Accepted pseudo-labels ('pseudo-accepted' mask revisions). */
  pseudo: BalanceCount,
})
export type BalanceClass = z.infer<typeof BalanceClass>

/** Per-class weights of each scheme (index = class; 0 for a class without labeled pixels). */
export const BalanceWeights = z.object({
  inverseFrequency: z.array(z.number()),
  medianFrequency: z.array(z.number()),
  effectiveNumber: z.array(z.number()),
})
export type BalanceWeights = z.infer<typeof BalanceWeights>

export const BalanceResult = z.object({
  classes: z.array(BalanceClass),
  totals: z.object({
    labeledPixels: z.number(),
    /** Images in the project. */
    images: z.number().int(),
    /** Images with at least one labeled pixel. */
    labeledImages: z.number().int(),
  }),
  weights: BalanceWeights,
  /** β of the effective-number weights. */
  beta: z.number(),
  /** One sentence per rare, scarce or missing class, with its numbers. */
  warnings: z.array(z.string()),
  recommendation: z.object({ preset: Preset, reason: z.string() }),
})
export type BalanceResult = z.infer<typeof BalanceResult>

/** Sort keys of the per-image table: the share or pixels of `classIndex` (of all labels without one), or the name. */
export const BalanceImageSort = z.enum(['share', 'pixels', 'name'])
export type BalanceImageSort = z.infer<typeof BalanceImageSort>

export const BalanceImagesQuery = z.object({
  /** The class whose share or pixels `sort` orders by; without it, the image's labeled share or pixels. */
  classIndex: z.number().int().min(0).max(254).optional(),
  sort: BalanceImageSort.default('share'),
  order: z.enum(['asc', 'desc']).default('desc'),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(100),
})
export type BalanceImagesQuery = z.input<typeof BalanceImagesQuery>

/** One labeled image's class composition. */
export const BalanceImageRow = z.object({
  imageId: z.number().int(),
  name: z.string(),
  /** Labeled pixels per class index (length = number of classes). */
  classPixels: z.array(z.number().int()),
  labeledPixels: z.number().int(),
  /** width × height, so labeledPixels / pixels is the labeled fraction. */
  pixels: z.number().int(),
})
export type BalanceImageRow = z.infer<typeof BalanceImageRow>

/** A page of the per-image table; `total` counts the images with at least one labeled pixel. */
export const BalanceImagePage = z.object({ total: z.number().int(), items: z.array(BalanceImageRow) })
export type BalanceImagePage = z.infer<typeof BalanceImagePage>
