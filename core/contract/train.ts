/**
 * Training runs as the UI, the CLI and the trainer process see them: the configuration a run starts with,
 * the metrics it reports each epoch, and its summary. Plain data only.
 */
import { z } from 'zod'
import { RunReport } from './run-report'

export const LossName = z.enum(['ce', 'weighted-ce', 'focal', 'dice', 'ce-dice', 'ohem'])
export type LossName = z.infer<typeof LossName>
export const ClassWeighting = z.enum(['none', 'inverse', 'median', 'effective'])
export type ClassWeighting = z.infer<typeof ClassWeighting>
export const BackendName = z.enum(['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'])
export type BackendName = z.infer<typeof BackendName>
export const Preset = z.enum(['auto', 'balanced', 'rare-objects', 'plain'])
export type Preset = z.infer<typeof Preset>
/** What "best" means: macro-F1, mean IoU, rare-class IoU (the class with the fewest training pixels) or validation loss. */
export const StopMetric = z.enum(['macroF1', 'mIoU', 'rareIoU', 'valLoss'])
export type StopMetric = z.infer<typeof StopMetric>

/** Every engine option; the presets fill these in and the Advanced panel edits them. */
export const TrainConfig = z.object({
  preset: Preset.nullable().default(null),
  epochs: z.number().int().min(1).max(1000).default(30),
  /**
   * Wall-clock budget. With it the run trains until the budget is spent (the learning-rate schedule runs
   * over the time, validation every few percent of it) and `epochs` is ignored; without it, `epochs`
   * passes over the training tiles.
   */
  minutes: z.number().positive().max(24 * 60).nullable().default(null),
  tileSize: z.number().int().min(32).max(1024).multipleOf(32).default(256),
  batchSize: z.number().int().min(1).max(64).default(8),
  model: z
    .object({
      depth: z.number().int().min(3).max(5).default(4),
      baseFilters: z.number().int().min(8).max(64).default(16),
      dropout: z.number().min(0).max(0.7).default(0.1),
      batchNorm: z.boolean().default(true),
    })
    .default({ depth: 4, baseFilters: 16, dropout: 0.1, batchNorm: true }),
  loss: z
    .object({
      name: LossName.default('ce-dice'),
      classWeights: ClassWeighting.default('median'),
      focalGamma: z.number().min(0).max(5).default(2),
      ohemTopK: z.number().gt(0).max(1).default(0.25),
      ohemMinPixels: z.number().int().min(1).default(1024),
      dynamicWeights: z.boolean().default(false),
      uncertaintyWeighting: z.boolean().default(false),
      boundaryHead: z.boolean().default(false),
      /**
       * Weight of the supervised pixel-contrastive auxiliary loss on the decoder features (0: off). With
       * uncertaintyWeighting the learned weighting combines it instead and any value > 0 just turns it on.
       */
      pixelContrast: z.number().min(0).max(10).default(0),
    })
    .default({
      name: 'ce-dice', classWeights: 'median', focalGamma: 2, ohemTopK: 0.25, ohemMinPixels: 1024,
      dynamicWeights: false, uncertaintyWeighting: false, boundaryHead: false, pixelContrast: 0,
    }),
  sampling: z.enum(['uniform', 'class-aware']).default('class-aware'),
  rareCrop: z.number().min(0).max(1).default(0.3),
  copyPaste: z.number().min(0).max(1).default(0.3),
  augment: z.enum(['none', 'light', 'strong']).default('light'),
  learningRate: z.number().positive().max(1).default(1e-3),
  schedule: z.enum(['constant', 'cosine', 'step']).default('cosine'),
  validationFraction: z.number().min(0).max(0.5).default(0.2),
  stopMetric: StopMetric.default('macroF1'),
  /**
   * Early stopping: epochs (at least 200 optimiser steps) in which neither the stop metric nor the
   * validation loss improved; never before 40 % of the budget. 0 disables it.
   */
  patience: z.number().int().min(0).default(8),
  /** Validate, checkpoint and predict with an exponential moving average of the weights (kept only where it scores better). */
  ema: z.boolean().default(true),
  /** Fit per-class decision biases on validation at the end of the run and store them with the model. */
  calibrate: z.boolean().default(true),
  /**
   * What validation holds out: whole images, a region (band) of every labeled image, or 'auto'
   * (regions when fewer than 12 images are labeled, so no image is lost to validation).
   */
  validation: z.enum(['auto', 'images', 'regions']).default('auto'),
  /**
   * Consistency training on the project's unlabeled images (an EMA teacher's confident pixels as targets
   * for strongly augmented views). Off by default: on the real sets of bench/README ("Quality: unlabeled
   * images") it did not beat labeled-only runs beyond the seed spread in a 5-minute budget.
   */
  semi: z.boolean().default(false),
  backend: BackendName.default('auto'),
  /**
   * Data-parallel workers on CPU backends: each trains on its share of every batch in a thread of its own
   * and the gradients are averaged. 0 picks automatically (wasm: one per core, up to 4; else 1).
   */
  workers: z.number().int().min(0).max(16).default(0),
  seed: z.number().int().min(0).default(42),
  init: z.union([z.literal('scratch'), z.literal('pretrained'), z.object({ runId: z.number().int() })]).default('scratch'),
  /**
   * Weight (0..1) of unreviewed confident pseudo-labels (pending, of the newest round, on images without
   * labels) in training; 0 leaves them out. Applied by keeping that fraction of their pixels.
   */
  pseudoUnreviewedWeight: z.number().min(0).max(1).default(0),
})
export type TrainConfig = z.infer<typeof TrainConfig>
export type TrainConfigInput = z.input<typeof TrainConfig>

export const ClassMetrics = z.object({
  index: z.number().int(),
  iou: z.number(),
  dice: z.number(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  /** Labeled pixels of this class in the validation set. */
  support: z.number().int(),
})
export type ClassMetrics = z.infer<typeof ClassMetrics>

export const EpochMetrics = z.object({
  epoch: z.number().int(),
  trainLoss: z.number(),
  valLoss: z.number().nullable(),
  perClass: z.array(ClassMetrics),
  mIoU: z.number(),
  macroF1: z.number(),
  /** Rows = true class, columns = predicted class; raw pixel counts. */
  confusion: z.array(z.array(z.number().int())),
  learningRate: z.number(),
  seconds: z.number(),
})
export type EpochMetrics = z.infer<typeof EpochMetrics>

export const RunStatus = z.enum(['queued', 'running', 'completed', 'cancelled', 'failed'])
export type RunStatus = z.infer<typeof RunStatus>

export const RunSummary = z.object({
  id: z.number().int(),
  status: RunStatus,
  config: TrainConfig,
  backend: z.string().nullable(),
  device: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  epochs: z.array(EpochMetrics),
  best: z.object({ epoch: z.number().int(), metric: StopMetric, value: z.number() }).nullable(),
  error: z.string().nullable(),
  active: z.boolean(),
  /** The run's own account (stop reason, budget, race, calibration); null before its first checkpoint. */
  report: RunReport.nullable().optional(),
})
export type RunSummary = z.infer<typeof RunSummary>

export const TrainProgress = z.object({
  runId: z.number().int(),
  phase: z.enum(['preparing', 'training', 'validating', 'saving']),
  epoch: z.number().int(),
  epochs: z.number().int(),
  batch: z.number().int(),
  batches: z.number().int(),
  loss: z.number().nullable(),
  imagesPerSecond: z.number().nullable(),
  etaSeconds: z.number().nullable(),
  message: z.string().optional(),
})
export type TrainProgress = z.infer<typeof TrainProgress>

/**
 * The options a caller sets when starting a run: every TrainConfig field optional and WITHOUT defaults,
 * so the engine can tell "not given" (filled from the preset, then TrainConfig's defaults) from a value.
 */
export const TrainConfigPatch = z.object({
  preset: Preset.nullable().optional(),
  epochs: z.number().int().min(1).max(1000).optional(),
  minutes: z.number().positive().max(24 * 60).nullable().optional(),
  tileSize: z.number().int().min(32).max(1024).multipleOf(32).optional(),
  batchSize: z.number().int().min(1).max(64).optional(),
  model: z
    .object({
      depth: z.number().int().min(3).max(5).optional(),
      baseFilters: z.number().int().min(8).max(64).optional(),
      dropout: z.number().min(0).max(0.7).optional(),
      batchNorm: z.boolean().optional(),
    })
    .optional(),
  loss: z
    .object({
      name: LossName.optional(),
      classWeights: ClassWeighting.optional(),
      focalGamma: z.number().min(0).max(5).optional(),
      ohemTopK: z.number().gt(0).max(1).optional(),
      ohemMinPixels: z.number().int().min(1).optional(),
      dynamicWeights: z.boolean().optional(),
      uncertaintyWeighting: z.boolean().optional(),
      boundaryHead: z.boolean().optional(),
      pixelContrast: z.number().min(0).max(10).optional(),
    })
    .optional(),
  sampling: z.enum(['uniform', 'class-aware']).optional(),
  rareCrop: z.number().min(0).max(1).optional(),
  copyPaste: z.number().min(0).max(1).optional(),
  augment: z.enum(['none', 'light', 'strong']).optional(),
  learningRate: z.number().positive().max(1).optional(),
  schedule: z.enum(['constant', 'cosine', 'step']).optional(),
  validationFraction: z.number().min(0).max(0.5).optional(),
  stopMetric: StopMetric.optional(),
  patience: z.number().int().min(0).optional(),
  ema: z.boolean().optional(),
  calibrate: z.boolean().optional(),
  validation: z.enum(['auto', 'images', 'regions']).optional(),
  semi: z.boolean().optional(),
  backend: BackendName.optional(),
  workers: z.number().int().min(0).max(16).optional(),
  seed: z.number().int().min(0).optional(),
  init: z.union([z.literal('scratch'), z.literal('pretrained'), z.object({ runId: z.number().int() })]).optional(),
  pseudoUnreviewedWeight: z.number().min(0).max(1).optional(),
})
export type TrainConfigPatch = z.infer<typeof TrainConfigPatch>

/** Per-class scores of an evaluation against ground-truth masks (`labelloop eval`, `models:evaluate`). */
export const EvalClassScore = z.object({
  index: z.number().int(),
  name: z.string(),
  iou: z.number(),
  f1: z.number(),
  precision: z.number(),
  recall: z.number(),
})
export type EvalClassScore = z.infer<typeof EvalClassScore>

/** The result of evaluating the active model on images with ground-truth masks. */
export const EvalResult = z.object({
  runId: z.number().int(),
  images: z.number().int(),
  perClass: z.array(EvalClassScore),
  mIoU: z.number(),
  macroF1: z.number(),
  /** Rows = true class, columns = predicted class; raw pixel counts (255 ignored). */
  confusion: z.array(z.array(z.number().int())),
})
export type EvalResult = z.infer<typeof EvalResult>

/**
 * A finished prediction job: the pseudo-label round it wrote (one row per image in `pseudo_labels`,
 * status pending, with the predicted mask and a confidence map), and the mean max-softmax confidence.
 */
export const PredictResult = z.object({
  roundId: z.number().int(),
  runId: z.number().int(),
  status: z.enum(['done', 'cancelled', 'failed']),
  images: z.number().int(),
  meanConfidence: z.number().nullable(),
})
export type PredictResult = z.infer<typeof PredictResult>

/** Progress of a prediction or evaluation job. */
export const PredictProgress = z.object({
  jobId: z.string(),
  kind: z.enum(['predict', 'eval']),
  done: z.number().int(),
  total: z.number().int(),
  image: z.string().nullable(),
})
export type PredictProgress = z.infer<typeof PredictProgress>

/**
 * What each training preset sets, in ONE place so the engine (which merges a caller's patch over it) and
 * the Train view (which shows it and pre-fills the Advanced panel from it) agree. Options a preset leaves
 * out come from TrainConfig's defaults.
 * - plain: roughly balanced classes; unweighted cross-entropy, uniform sampling.
 * - balanced: imbalanced, no class under 1%; CE + Dice with median-frequency weights, class-aware
 *   sampling, some rare-class crops and copy-paste.
 * - rare-objects: a class under 1%; focal loss with effective-number α, rare-class sampling, crops and
 *   copy-paste.
 * - auto: races candidate recipes on the project's validation data and continues the winner
 *   (core/train/recipe); the values here are only where the race starts (plain CE).
 */
export function presetConfig(preset: Preset): TrainConfigPatch {
  switch (preset) {
    case 'auto':
      return { preset, loss: { name: 'ce', classWeights: 'none' }, sampling: 'uniform', rareCrop: 0, copyPaste: 0 }
    case 'plain':
      return { preset, loss: { name: 'ce', classWeights: 'none' }, sampling: 'uniform', rareCrop: 0, copyPaste: 0 }
    case 'balanced':
      return { preset, loss: { name: 'ce-dice', classWeights: 'median' }, sampling: 'class-aware', rareCrop: 0.2, copyPaste: 0.2 }
    case 'rare-objects':
      return {
        preset,
        loss: { name: 'focal', classWeights: 'effective', focalGamma: 2 },
        sampling: 'class-aware',
        rareCrop: 0.5,
        copyPaste: 0.5,
      }
  }
}

/**
 * Self-supervised pretraining of the U-Net encoder on every image of the project (SimCLR). The model
 * fields must match the training runs that start from it (`init: 'pretrained'`); the defaults equal
 * TrainConfig's.
 */
export const PretrainConfig = z.object({
  epochs: z.number().int().min(1).max(1000).default(20),
  /** Wall-clock budget; pretraining stops after the epoch that crosses it. */
  minutes: z.number().positive().max(24 * 60).nullable().default(null),
  tileSize: z.number().int().min(32).max(1024).multipleOf(32).default(128),
  /** Tiles per batch; each gives two views, so the model sees twice as many. */
  batchSize: z.number().int().min(2).max(64).default(16),
  /** NT-Xent temperature. */
  temperature: z.number().positive().max(10).default(0.5),
  learningRate: z.number().positive().max(1).default(1e-3),
  /** Steps per epoch; null: the project's tile count / batch size. */
  stepsPerEpoch: z.number().int().min(1).nullable().default(null),
  model: z
    .object({
      depth: z.number().int().min(3).max(5).default(4),
      baseFilters: z.number().int().min(8).max(64).default(16),
      batchNorm: z.boolean().default(true),
    })
    .default({ depth: 4, baseFilters: 16, batchNorm: true }),
  backend: BackendName.default('auto'),
  seed: z.number().int().min(0).default(42),
})
export type PretrainConfig = z.infer<typeof PretrainConfig>
export type PretrainConfigInput = z.input<typeof PretrainConfig>

/** A pretraining run (stored as a run of kind 'pretrain' with one checkpoint: the encoder). */
export const PretrainSummary = z.object({
  id: z.number().int(),
  status: RunStatus,
  config: PretrainConfig,
  backend: z.string().nullable(),
  device: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Mean NT-Xent per completed epoch. */
  losses: z.array(z.number()),
  /** Images pretrained on (labeled and unlabeled). */
  images: z.number().int(),
  seconds: z.number(),
  /** Whether the encoder checkpoint is stored (a completed run). */
  hasEncoder: z.boolean(),
  error: z.string().nullable(),
})
export type PretrainSummary = z.infer<typeof PretrainSummary>

/**
 * The active model's stored prediction of one image (the newest pseudo-label round of that run that
 * covers it), for the editor's prediction overlay. Null when the active model has not predicted it.
 */
export const StoredPrediction = z.object({
  imageId: z.number().int(),
  runId: z.number().int(),
  roundId: z.number().int(),
  createdAt: z.string(),
  /** 8-bit indexed PNG of predicted classes, 255 = not kept by the round's thresholds. */
  maskPngBase64: z.string(),
  /** 8-bit grey PNG, 255 = confidence 1; null when the round stored none. */
  confidencePngBase64: z.string().nullable(),
  meanConfidence: z.number().nullable(),
})
export type StoredPrediction = z.infer<typeof StoredPrediction>
