/**
 * The plain-data state of a run that each checkpoint stores beside the weights: where the loop is,
 * what it has measured, and what prediction needs to use the model (classes, normalisation, tile size).
 */
import * as tf from '@tensorflow/tfjs-core'
import type { ClassDef, EpochMetrics, RecipeOptions, RunReport, StopMetric } from '../../contract'
import type { SerialisedModel, SerialisedOptimizer } from './checkpoint'
import type { Normalisation } from './normalisation'

/** The U-Net a run trains, as stored (createUNet options without the seed). */
export interface ModelSpec {
  inChannels: number
  numClasses: number
  depth: 3 | 4 | 5
  baseFilters: number
  dropout: number
  batchNorm: boolean
  /** Momentum of the batch-norm moving statistics, chosen from the batches per epoch. */
  batchNormMomentum: number
  auxBoundaryHead: boolean
}

/** Best value of the stop metric so far. */
export interface BestSoFar {
  epoch: number
  metric: StopMetric
  value: number
}

/** Saved with every checkpoint; a resumed run continues from it. */
export interface LoopState {
  /** Epochs completed (the next epoch to run, 0-based). */
  epoch: number
  epochs: EpochMetrics[]
  best: BestSoFar | null
  /** Epochs since the best one (for early stopping). */
  sinceBest: number
  /** Training seconds so far, summed over starts (for the time budget). */
  elapsedSeconds: number
  classes: ClassDef[]
  normalisation: Normalisation
  tileSize: number
  model: ModelSpec
  split: { train: number[]; validation: number[] }
  /** Optimiser steps so far (absent in checkpoints written before step counting). */
  steps?: number
  /** Step of the last improvement of the stop metric or of the validation loss (early stopping). */
  lastProgressStep?: number
  bestValLoss?: number | null
  /** Seconds spent validating. */
  validationSeconds?: number
  /** Optimiser steps per period (validation interval) in force. */
  periodSteps?: number
  /** The recipe being trained (the race winner of the auto preset); null before the race decided. */
  recipe?: RecipeOptions | null
  /** Per-class decision biases fitted on validation for this checkpoint's model (argmax of log p + bias). */
  calibration?: number[] | null
  /** Predict with the four flips of every tile averaged (chosen on validation at the end of the run). */
  tta?: boolean
  /** The class with the fewest training pixels (rare-class IoU). */
  rareClass?: number
  report?: RunReport
}

/** One epoch's checkpoint as the loop hands it to storage. */
export interface CheckpointData {
  epoch: number
  isBest: boolean
  metric: StopMetric
  metricValue: number | null
  model: SerialisedModel
  optimizer: SerialisedOptimizer
  state: LoopState
}

/** What a resumed run starts from. */
export interface ResumeFrom {
  model: SerialisedModel
  optimizer: SerialisedOptimizer | null
  state: LoopState
}

/** Whether `value` of `metric` beats the best so far (higher F1/IoU, lower loss). */
export function improves(metric: StopMetric, value: number | null, best: BestSoFar | null): boolean {
  if (value === null || !Number.isFinite(value)) return false
  if (!best) return true
  return metric === 'valLoss' ? value < best.value : value > best.value
}

/** Adam whose learning rate the schedule changes between epochs. */
export class ScheduledAdam extends tf.AdamOptimizer {
  constructor(learningRate: number) {
    super(learningRate, 0.9, 0.999, 1e-7)
  }

  setLearningRate(lr: number): void {
    this.learningRate = lr
  }
}
