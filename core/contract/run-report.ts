/**
 * What a training run reports about itself beyond its per-epoch metrics: why it stopped, how its time
 * budget was spent, how validation was set up, the recipe race of the `auto` preset and the calibrated
 * decision biases stored with its model. Plain data, stored as JSON in `runs.report`.
 */
import { z } from 'zod'

/** Why a run ended. */
export const StopReason = z.enum(['epochs', 'patience', 'time', 'cancelled'])
export type StopReason = z.infer<typeof StopReason>

/** The recipe options a race candidate sets (everything else is the run's own config). */
export const RecipeOptions = z.object({
  loss: z.enum(['ce', 'weighted-ce', 'focal', 'dice', 'ce-dice', 'ohem']),
  classWeights: z.enum(['none', 'inverse', 'median', 'effective']),
  sampling: z.enum(['uniform', 'class-aware']),
  rareCrop: z.number().min(0).max(1),
  copyPaste: z.number().min(0).max(1),
})
export type RecipeOptions = z.infer<typeof RecipeOptions>

/** One recipe of the race, with its validation score after each rung it took part in. */
export const RaceCandidate = z.object({
  /** Stable key, e.g. "ce+crop". */
  key: z.string(),
  /** Words for people, e.g. "cross-entropy, 50 % rare-class crops". */
  label: z.string(),
  recipe: RecipeOptions,
  /** Score (the race metric) after each rung it trained in, in rung order. */
  scores: z.array(z.number()),
  /** Optimiser steps it trained in the race. */
  steps: z.number().int(),
  /** Rung (1-based) after which it was dropped; null for the winner. */
  droppedAfter: z.number().int().nullable(),
})
export type RaceCandidate = z.infer<typeof RaceCandidate>

/** The `auto` preset's race: candidates tried on short trials, losers dropped, the winner continued. */
export const RaceReport = z.object({
  /** The score the race ranks by: the run's stop metric, or rare-class IoU. */
  metric: z.string(),
  candidates: z.array(RaceCandidate),
  winner: z.string(),
  /** Winner's last score minus the runner-up's at the final rung. */
  margin: z.number(),
  /** Whether the margin exceeds the noise the race measured (the spread of the rung-to-rung changes). */
  clear: z.boolean(),
  /** Plain-language account of the decision. */
  reason: z.string(),
  steps: z.number().int(),
  seconds: z.number(),
  /** Optimiser steps shared by all candidates before they branched (a common warm start). */
  warmupSteps: z.number().int(),
})
export type RaceReport = z.infer<typeof RaceReport>

/**
 * Per-class logit biases chosen on validation to maximise the stop metric: the predicted class is
 * argmax_c (log p_c + bias_c). A loss that over-predicts a rare class gets a negative bias for it.
 */
export const Calibration = z.object({
  bias: z.array(z.number()),
  metric: z.string(),
  before: z.number(),
  after: z.number(),
  /** Validation pixels the biases were fitted on. */
  pixels: z.number().int(),
})
export type Calibration = z.infer<typeof Calibration>

/** How the run validated: whole held-out images, or held-out regions of every labeled image. */
export const ValidationSetup = z.object({
  mode: z.enum(['images', 'regions']),
  /** Labeled images that gave validation pixels. */
  images: z.number().int(),
  /** Share of labeled pixels held out. */
  labeledShare: z.number(),
  detail: z.string(),
})
export type ValidationSetup = z.infer<typeof ValidationSetup>

/**
 * Consistency training on the project's unlabeled images (core/train/semi): an EMA teacher labels weakly
 * augmented unlabeled tiles where it is confident (per-class thresholds), and the student learns those
 * labels on strongly augmented views (colour jitter, blur, noise, CutMix) mixed into its batches.
 */
export const SemiReport = z.object({
  /** Unlabeled images the run read (those without any labeled pixel). */
  unlabeledImages: z.number().int(),
  /** Unlabeled tiles the student trained on. */
  tilesSeen: z.number().int(),
  /** Optimiser steps whose batch held unlabeled tiles. */
  steps: z.number().int(),
  /** Per class: the confidence a teacher pixel needed to become a target, at the end of the run. */
  thresholds: z.array(z.number()),
  /** Per class: share of all unlabeled pixels seen that became targets of that class. */
  confidentShare: z.array(z.number()),
  /** Per class: the validation precision the thresholds were scaled by (null before the first validation). */
  pseudoPrecision: z.array(z.number().nullable()).nullable(),
  /** How the unlabeled share of each batch ramped in, in words. */
  ramp: z.string(),
  /** Why consistency training was off or stopped early, if it was. */
  note: z.string().nullable().optional(),
})
export type SemiReport = z.infer<typeof SemiReport>

/** The run's own account, updated at every checkpoint and at the end. */
export const RunReport = z.object({
  stopReason: StopReason.nullable(),
  /** Why it stopped, in words. */
  stopDetail: z.string().nullable(),
  steps: z.number().int(),
  trainSeconds: z.number(),
  validationSeconds: z.number(),
  /** Share of the run's time spent validating. */
  validationShare: z.number(),
  validation: ValidationSetup.nullable(),
  race: RaceReport.nullable(),
  calibration: Calibration.nullable(),
  /** Whether the kept model is the moving average of the weights, and the two scores compared. */
  ema: z.object({ used: z.boolean(), emaScore: z.number().nullable(), rawScore: z.number().nullable() }).nullable(),
  /** Whether prediction averages the four flips of every tile, and the validation scores compared (on up to 16 tiles). */
  tta: z.object({ used: z.boolean(), plainScore: z.number().nullable(), flipScore: z.number().nullable(), tiles: z.number().int() }).nullable().optional(),
  /** The recipe that trained the kept model (the race winner for `auto`). */
  recipe: RecipeOptions.nullable(),
  /** Consistency training on unlabeled images; null when the run had none or it was off. */
  semi: SemiReport.nullable().optional(),
})
export type RunReport = z.infer<typeof RunReport>
