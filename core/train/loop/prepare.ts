/**
 * Loads a project's labeled images through a TrainingSource and readies them for the loop: one channel
 * count, per-channel normalisation measured on the labeled images (or the one a resumed run stored),
 * the validation split by image, and the class weights of the configured scheme from core/balance's
 * statistics over the training images.
 */
import { AppError, type ClassDef, type TrainConfig } from '../../contract'
import { accumulate, computeBalance, weightsForScheme } from '../../balance'
import { maskClassCounts } from '../../imaging'
import { modelChannels, toChannels, type TrainImage, type TrainingSource } from './data-source'
import { measureNormalisation, normalise, type Normalisation } from './normalisation'
import { splitForConfig } from '../pipeline/from-config'
import type { Split } from './split'

/** Everything the loop needs from the project, in memory. */
export interface PreparedData {
  classes: ClassDef[]
  channels: number
  normalisation: Normalisation
  split: Split
  train: TrainImage[]
  validation: TrainImage[]
  /** Weights of `config.loss.classWeights` from the training labels; null for 'none'. */
  classWeights: number[] | null
}

/** What a resumed run keeps from its first start, so it sees the same data the same way. */
export interface PreparedFixed {
  channels: number
  normalisation: Normalisation
}

/** Loads, normalises and splits the labeled images; NOT_FOUND-free: INVALID_INPUT when nothing is labeled. */
export async function prepareData(source: TrainingSource, config: TrainConfig, fixed?: PreparedFixed): Promise<PreparedData> {
  const classes = source.classes()
  if (classes.length < 2) throw new AppError('INVALID_INPUT', `training needs at least 2 classes; the project has ${classes.length}`)
  const refs = await source.labeledImages()
  if (refs.length === 0) throw new AppError('INVALID_INPUT', 'no labeled images to train on: label some pixels of at least one image first')
  const raw = await Promise.all(refs.map(async (r) => ({ ref: r, pixels: await source.pixels(r.id), mask: await source.mask(r.id) })))
  const channels = fixed?.channels ?? modelChannels(raw.map((r) => r.pixels))
  const data = raw.map((r) => {
    if (r.mask.length !== r.pixels.width * r.pixels.height) {
      throw new AppError('MASK_SIZE', `image ${r.ref.name}: mask has ${r.mask.length} pixels, image ${r.pixels.width}×${r.pixels.height}`)
    }
    return toChannels(r.pixels, channels)
  })
  const normalisation = fixed?.normalisation ?? measureNormalisation(data, channels)
  const images: TrainImage[] = raw.map((r, i) => ({
    id: r.ref.id,
    name: r.ref.name,
    width: r.pixels.width,
    height: r.pixels.height,
    channels,
    data: normalise(data[i], normalisation),
    labels: r.mask,
  }))
  const split = splitForConfig(images, classes.length, config)
  const byId = new Map(images.map((i) => [i.id, i]))
  const train = split.train.map((id) => byId.get(id) as TrainImage)
  const validation = (split.validation.length > 0 ? split.validation : split.train).map((id) => byId.get(id) as TrainImage)
  const counts = train.map((img) => ({ counts: maskClassCounts(img.labels, classes.length).classPixels }))
  const stats = computeBalance(accumulate(counts, classes.length).totals(), { names: classes.map((c) => c.name) })
  return { classes, channels, normalisation, split, train, validation, classWeights: weightsForScheme(stats, config.loss.classWeights) }
}
