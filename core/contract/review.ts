/**
 * Pseudo-label rounds and the review queue: a round predicts every unlabeled image with the active
 * model (flip test-time augmentation, optional Monte-Carlo dropout), keeps per class its most confident
 * pixels (class-balanced thresholds), and scores each image for review; the user accepts, rejects or
 * edits them, and can roll a round back. Spread into `api` (api.ts).
 *
 * Choice: rounds start through their own `rounds:start` rather than a flag on `predict:start`, which
 * keeps its meaning (raw predictions, no thresholds or scores) for the CLI's plain `predict`.
 */
import { z } from 'zod'
import { PredictResult } from './train'

export const PseudoStatus = z.enum(['pending', 'accepted', 'rejected', 'edited'])
export type PseudoStatus = z.infer<typeof PseudoStatus>

/** How a round predicts and which pixels it keeps. */
export const RoundParams = z.object({
  /** Average each tile's prediction over its four flips. */
  tta: z.boolean().default(true),
  /** Monte-Carlo dropout passes (0 = off; needs a model trained with dropout). */
  mcDropout: z.number().int().min(0).max(32).default(0),
  /** Per class, the fraction of its most confident predicted pixels kept (Zou et al. 2018). */
  topFraction: z.number().gt(0).max(1).default(0.5),
  /** No pixel under this confidence is kept, whatever its class. */
  floor: z.number().min(0).max(1).default(0.5),
  /**
   * Raise each class's threshold by the model's validation precision of that class, τ ← 1 − (1 − τ)·p
   * (the thresholds then stored; the class-balanced ones before it as `balancedThresholds`).
   */
  precisionScaled: z.boolean().default(true),
})
export type RoundParams = z.infer<typeof RoundParams>

export const RoundCounts = z.object({
  total: z.number().int(),
  pending: z.number().int(),
  accepted: z.number().int(),
  rejected: z.number().int(),
  edited: z.number().int(),
})
export type RoundCounts = z.infer<typeof RoundCounts>

/** A class's share of all labeled pixels (human + accepted pseudo) without and with the round's accepted labels. */
export const BalanceShift = z.object({ index: z.number().int(), name: z.string(), before: z.number(), after: z.number() })
export type BalanceShift = z.infer<typeof BalanceShift>

/** One round in the rounds history. */
export const RoundSummary = z.object({
  id: z.number().int(),
  createdAt: z.string(),
  status: z.enum(['running', 'done', 'failed', 'cancelled']),
  runId: z.number().int().nullable(),
  /** Epoch of the checkpoint that predicted. */
  epoch: z.number().int().nullable(),
  /** null for a plain `predict:start` round (no thresholds, no scores). */
  params: RoundParams.nullable(),
  /** Per-class confidence thresholds the round applied (null: no pixel predicted as that class). */
  thresholds: z.array(z.number().nullable()).nullable(),
  counts: RoundCounts,
  /** Validation metrics of the predicting run's best epoch. */
  model: z.object({ macroF1: z.number(), mIoU: z.number(), perClassIoU: z.array(z.number()) }).nullable(),
  balanceShift: z.array(BalanceShift),
  rolledBackAt: z.string().nullable(),
  /** Why the round failed (e.g. its process was killed mid-round); null otherwise. */
  error: z.string().nullable(),
})
export type RoundSummary = z.infer<typeof RoundSummary>

/** One pseudo-label in the review queue. */
export const ReviewItem = z.object({
  id: z.number().int(),
  roundId: z.number().int(),
  imageId: z.number().int(),
  imageName: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  status: PseudoStatus,
  /** Review priority 0..1 (higher first): the mean of `uncertainty` and `rareContent`; null for plain rounds. */
  score: z.number().nullable(),
  /** Rarity-weighted mean predictive entropy, 0..1. */
  uncertainty: z.number().nullable(),
  /** Rarity-weighted predicted class shares, 0..1. */
  rareContent: z.number().nullable(),
  meanConfidence: z.number().nullable(),
  /** Share of pixels the thresholds kept. */
  keptFraction: z.number().nullable(),
  /** Kept (pseudo-labeled) pixels per class. */
  classPixels: z.array(z.number().int()),
  decidedAt: z.string().nullable(),
  decisionMs: z.number().int().nullable(),
})
export type ReviewItem = z.infer<typeof ReviewItem>

export const ReviewQuery = z.object({
  roundId: z.number().int().optional(),
  status: z.array(PseudoStatus).optional(),
  /** Only pseudo-labels that keep pixels of this class. */
  classIndex: z.number().int().min(0).max(254).optional(),
  sort: z.enum(['score', 'confidence', 'name']).default('score'),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(5000).default(200),
})
export type ReviewQuery = z.input<typeof ReviewQuery>

/** A pseudo-label with its maps, for the detail view and the editor's preload. */
export const ReviewDetail = z.object({
  item: ReviewItem,
  /** 8-bit indexed PNG, 255 = not kept. */
  maskPngBase64: z.string(),
  /** 8-bit grey PNG, 255 = confidence 1. */
  confidencePngBase64: z.string().nullable(),
  /** Share of the image's pixels per class in the pseudo mask (the rest is unlabeled). */
  classShares: z.array(z.number()),
  thresholds: z.array(z.number().nullable()).nullable(),
})
export type ReviewDetail = z.infer<typeof ReviewDetail>

const Id = z.object({ id: z.number().int() })

export const reviewApi = {
  /**
   * Predicts every unlabeled image with the active model (or `runId`) into a new round: flip TTA and
   * optional MC dropout, per-class thresholds, review scores. Progress as `predict:progress`; resolves
   * when the round is stored. BUSY while another training or prediction job runs.
   */
  'rounds:start': { input: RoundParams.extend({ jobId: z.string().min(1), runId: z.number().int().optional() }), output: PredictResult },
  /** Every round, newest first, with review counts, its model's metrics and the class-balance shift. */
  'rounds:list': { input: z.object({}).strict(), output: z.array(RoundSummary) },
  /**
   * Takes a round back: each image whose label is still the one accepting made gets its earlier label
   * back (a new revision; none: cleared); accepted and rejected become pending; edited ones stay.
   */
  'rounds:rollback': {
    input: z.object({ roundId: z.number().int() }),
    output: z.object({ reverted: z.number().int(), keptChanged: z.number().int(), reset: z.number().int() }),
  },
  /** A page of the review queue, most useful first by default. */
  'review:list': { input: ReviewQuery, output: z.object({ total: z.number().int(), items: z.array(ReviewItem) }) },
  'review:get': { input: Id, output: ReviewDetail },
  /**
   * Accept: the pseudo mask becomes the image's label (a revision with source 'pseudo-accepted').
   * Reject: it does not (an accepted one's label is taken back). `ms`: how long the reviewer looked.
   */
  'review:decide': {
    input: z.object({ id: z.number().int(), decision: z.enum(['accept', 'reject']), ms: z.number().int().min(0).optional() }),
    output: ReviewItem,
  },
  /** The user saved an edit of this pseudo-label in the editor (a human label): status edited. */
  'review:edited': { input: z.object({ id: z.number().int(), ms: z.number().int().min(0).optional() }), output: ReviewItem },
  /** Accepts every pending pseudo-label of the round whose review score is at least `score`. */
  'review:acceptAbove': {
    input: z.object({ roundId: z.number().int(), score: z.number().min(0).max(1) }),
    output: z.object({ accepted: z.number().int(), ids: z.array(z.number().int()) }),
  },
} as const
