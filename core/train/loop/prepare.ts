/**
 * Loads a project's labeled images through a TrainingSource and readies them for the loop: one channel
 * count, per-channel normalisation measured on the labeled images (or the one a resumed run stored),
 * the validation split (whole images, or held-out regions of every image when few are labeled; never a
 * pseudo-labeled image), the class statistics of the training labels and the rare class.
 */
import { AppError, type ClassDef, type ClassWeighting, type TrainConfig, type ValidationSetup } from '../../contract'
import { accumulate, computeBalance, weightsForScheme, type BalanceStats } from '../../balance'
import { maskClassCounts } from '../../imaging'
import { modelChannels, toChannels, type TrainImage, type TrainingSource } from './data-source'
import { measureNormalisation, normalise, type Normalisation } from './normalisation'
import { splitForConfig } from '../pipeline/from-config'
import type { Split } from './split'
import { regionSplit } from './regions'

/** Fewer labeled images than this validate on regions under `validation: 'auto'`. */
export const REGION_VALIDATION_BELOW = 12

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
  /** Class statistics of the training labels (for other weighting schemes and the recipe race). */
  stats: BalanceStats
  /** The labeled class with the fewest training pixels (rare-class IoU is its IoU). */
  rareClass: number
  validationSetup: ValidationSetup
}

/** Weights of `scheme` from the prepared training labels; null for 'none'. */
export function classWeightsFor(data: PreparedData, scheme: ClassWeighting): number[] | null {
  return weightsForScheme(data.stats, scheme)
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
  const pseudo = new Set(refs.filter((r) => r.pseudo).map((r) => r.id))
  const counted = (list: readonly TrainImage[]): BalanceStats =>
    computeBalance(accumulate(list.map((img) => ({ counts: maskClassCounts(img.labels, classes.length).classPixels })), classes.length).totals(), { names: classes.map((c) => c.name) })
  const human = images.filter((i) => !pseudo.has(i.id))
  const useRegions = config.validationFraction > 0 && (config.validation === 'regions' || (config.validation === 'auto' && human.length < REGION_VALIDATION_BELOW))
  let split: Split
  let train: TrainImage[]
  let validation: TrainImage[]
  let setup: ValidationSetup
  if (useRegions) {
    const rarity = counted(images).classes.map((c) => (c.share > 0 ? 1 + 1 / Math.max(c.share, 1e-4) : 0))
    const r = regionSplit(images, config.validationFraction, config.seed, rarity, pseudo)
    split = { train: images.map((i) => i.id), validation: r.validation.map((v) => v.id), shared: false }
    train = r.train
    validation = r.validation.length > 0 ? r.validation : r.train
    setup = { mode: 'regions', images: r.validation.length, labeledShare: r.heldOut, detail: `a band of ${Math.round(config.validationFraction * 100)} % of the rows of each of ${r.validation.length} labeled images held out (${human.length} human-labeled images: too few to lose whole images to validation)` }
  } else {
    const candidates = human.length >= 2 ? human : images
    const s = splitForConfig(candidates, classes.length, config)
    split = { train: [...s.train, ...images.filter((i) => !candidates.includes(i)).map((i) => i.id)].sort((a, b) => a - b), validation: s.validation, shared: s.shared }
    const byId = new Map(images.map((i) => [i.id, i]))
    train = split.train.map((id) => byId.get(id) as TrainImage)
    validation = (split.validation.length > 0 ? split.validation : split.train).map((id) => byId.get(id) as TrainImage)
    const heldOut = validation.reduce((a, v) => a + v.labels.reduce((n, l) => n + (l !== 255 ? 1 : 0), 0), 0) / Math.max(1, images.reduce((a, v) => a + v.labels.reduce((n, l) => n + (l !== 255 ? 1 : 0), 0), 0))
    setup = { mode: 'images', images: split.validation.length, labeledShare: split.shared ? 0 : heldOut, detail: split.shared ? 'one image serves as training and validation' : `${split.validation.length} of ${images.length} labeled images held out${pseudo.size > 0 ? ` (pseudo-labeled images never)` : ''}` }
  }
  const stats = counted(train)
  const present = stats.classes.filter((c) => c.pixels > 0)
  const rareClass = present.length > 0 ? present.reduce((a, b) => (b.share < a.share ? b : a)).index : 0
  return { classes, channels, normalisation, split, train, validation, classWeights: weightsForScheme(stats, config.loss.classWeights), stats, rareClass, validationSetup: setup }
}
