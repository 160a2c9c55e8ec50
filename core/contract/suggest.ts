/**
 * "Label next": which unlabeled images, and which unlabeled regions of partly labeled images, a label
 * would help most. Ranked by the active model's rarity-weighted doubt (from its stored predictions:
 * rounds and `predict:start`), diversified so near-duplicates do not crowd the top. Without a model, or
 * for images it has not predicted, the order is diversity alone and the result says so. Spread into
 * `api` (api.ts); progress arrives as `suggest:progress` events carrying `jobId`.
 */
import { z } from 'zod'
import { ImageSummary } from './model'

/** A rectangle in image pixels. */
export const SuggestRegion = z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int(), height: z.number().int() })
export type SuggestRegion = z.infer<typeof SuggestRegion>

export const Suggestion = z.object({
  /** 1 = label this first. */
  rank: z.number().int(),
  imageId: z.number().int(),
  imageName: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  /** The region to label in a partly labeled image; null = the whole (unlabeled) image. */
  region: SuggestRegion.nullable(),
  /** Ranking value after the diversity penalty (higher first). */
  score: z.number(),
  /** Rarity-weighted mean doubt of the area, 0..1; null when the active model has not predicted it. */
  uncertainty: z.number().nullable(),
  /** The class whose doubt weighs most there (null: unknown or no prediction). */
  className: z.string().nullable(),
  /** Share of the image's pixels where the model is uncertain about that class. */
  uncertainShare: z.number().nullable(),
  /** Why it ranks here, in words. */
  reason: z.string(),
  /** The image as `images:get` gives it (the gallery's tile in the "Label next" order). */
  image: ImageSummary,
})
export type Suggestion = z.infer<typeof Suggestion>

export const SuggestResult = z.object({
  /** `model`: ranked by the active model's doubt; `diversity-only`: no model or no stored prediction. */
  mode: z.enum(['model', 'diversity-only']),
  runId: z.number().int().nullable(),
  /** What the user should know about the ranking (e.g. "train first"), or null. */
  note: z.string().nullable(),
  /** Images and regions considered. */
  candidates: z.number().int(),
  items: z.array(Suggestion),
  cancelled: z.boolean(),
})
export type SuggestResult = z.infer<typeof SuggestResult>

export const SuggestProgress = z.object({
  jobId: z.string(),
  done: z.number().int(),
  total: z.number().int(),
  image: z.string().nullable(),
})
export type SuggestProgress = z.infer<typeof SuggestProgress>

export const suggestApi = {
  /**
   * Ranks what to label next. `requireModel`: fail with NOT_FOUND ("train first") instead of falling back
   * to diversity-only order when there is no active model. Cancelled jobs resolve with what was ranked
   * from the images read so far (`cancelled: true`).
   */
  'suggest:run': {
    input: z.object({
      jobId: z.string().min(1),
      limit: z.number().int().min(1).max(5000).default(50),
      requireModel: z.boolean().default(false),
    }),
    output: SuggestResult,
  },
  /** Cancels a running `suggest:run`. */
  'suggest:cancel': { input: z.object({ jobId: z.string().min(1) }), output: z.null() },
} as const
