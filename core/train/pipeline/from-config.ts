/**
 * The training loop's entry to the pipeline: a TrainingPipeline set up from a run's TrainConfig
 * (sampling, rareCrop, copyPaste, augment, tileSize, batchSize, seed), and the stratified split over
 * images with their per-class pixel counts.
 */
import type { TrainConfig } from '../../contract'
import { TrainingPipeline } from './batch-builder'
import { classCounts } from './class-index'
import { stratifiedSplit, type StratifiedSplit } from './split'
import type { LabeledImage } from './types'

/** The pipeline of a run over its training images; `epochLength` is the tiles one epoch draws. */
export function pipelineForConfig(train: readonly LabeledImage[], config: TrainConfig, numClasses: number, epochLength: number): TrainingPipeline {
  return new TrainingPipeline(train, {
    tileSize: config.tileSize,
    batchSize: config.batchSize,
    numClasses,
    sampling: config.sampling,
    rareCrop: config.rareCrop,
    copyPaste: config.copyPaste,
    augment: config.augment,
    epochLength,
    seed: config.seed,
  })
}

/** The stratified validation split of labeled images by their class content. */
export function splitForConfig(images: readonly (LabeledImage & { id: number })[], numClasses: number, config: Pick<TrainConfig, 'validationFraction' | 'seed'>): StratifiedSplit {
  return stratifiedSplit(images.map((img) => ({ id: img.id, counts: classCounts(img.labels, numClasses) })), config.validationFraction, config.seed)
}
