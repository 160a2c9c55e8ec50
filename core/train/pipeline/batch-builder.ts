/**
 * The rare-class data pipeline in one object: per epoch it draws images (uniformly or class-aware, with an
 * optional repeat cap), cuts a tile from each (a share centred on rare-class pixels, the rest random,
 * padded where the image is small), pastes rare-class objects, augments, and packs batches as plain
 * arrays, pixels [B,H,W,C] float32 and labels [B,H,W] int32, that the loop turns into tensors.
 */
import { AppError } from '../../contract'
import { Rng } from '../loop/rng'
import { AUGMENT_PRESETS, augmentTile, type AugmentLevel, type AugmentSpec } from './augment'
import { classRarity, indexImage, totalCounts, classCounts, type ImageClassIndex, type RarityOptions } from './class-index'
import { extractComponents, limitComponents, type Component } from './components'
import { ComponentBank, copyPaste } from './copy-paste'
import { tileOrigin } from './rare-crop'
import { imageWeight, WeightedRandomSampler } from './sampler'
import { cutTile } from './tiles'
import type { LabeledImage, Random } from './types'

/** A batch as plain arrays: pixels [count,size,size,channels] and labels [count,size,size] (255 = ignored). */
export interface PipelineBatch {
  size: number
  count: number
  channels: number
  pixels: Float32Array
  labels: Int32Array
}

export interface PipelineOptions {
  tileSize: number
  batchSize: number
  numClasses: number
  sampling: 'uniform' | 'class-aware'
  /** Share of tiles centred on a rare-class pixel. */
  rareCrop: number
  /** Probability that a tile receives pasted rare-class objects. */
  copyPaste: number
  augment: AugmentLevel | AugmentSpec
  /** Tiles per epoch: the image plan of one epoch has this many draws. */
  epochLength: number
  /** Most tiles from one image per epoch (null = no cap). */
  maxRepeats?: number | null
  /** Most objects pasted into one tile (default 3). */
  copyPasteMaxCount?: number
  /** Components kept per class in the bank (default 200). */
  bankPerClass?: number
  /** Edge feathering of pasted objects in pixels (0 = hard, default 2). */
  feather?: number
  rarity?: RarityOptions
  /** Pixels of a class that count as full presence when weighing an image (default 16). */
  presencePixels?: number
  /** Seeds the choice of components kept in the bank. */
  seed?: number
}

/** What the pipeline derived from the training images, for logs and tests. */
export interface PipelineInfo {
  rarity: number[]
  rareClasses: number[]
  imageWeights: number[]
  bankSize: number
}

/** Builds training tiles and batches from normalised, labeled training images. */
export class TrainingPipeline {
  private readonly indexes: ImageClassIndex[]
  private readonly rarity: number[]
  private readonly rareClasses: number[]
  private readonly sampler: WeightedRandomSampler
  private readonly bank: ComponentBank
  private readonly spec: AugmentSpec
  private plan: number[] = []
  readonly channels: number

  constructor(
    private readonly images: readonly LabeledImage[],
    private readonly opts: PipelineOptions,
  ) {
    if (images.length === 0) throw new AppError('INVALID_INPUT', 'training pipeline: no training images')
    this.channels = images[0].channels
    const odd = images.find((img) => img.channels !== this.channels)
    if (odd) throw new AppError('INVALID_INPUT', `training pipeline: images mix ${this.channels} and ${odd.channels} channels`)
    const n = opts.numClasses
    const counts = images.map((img) => classCounts(img.labels, n))
    this.rarity = classRarity(totalCounts(counts, n), opts.rarity)
    const rare = this.rarity.map((r) => r > 1 + 1e-9)
    this.rareClasses = rare.flatMap((r, c) => (r ? [c] : []))
    this.indexes = images.map((img) => indexImage(img, n, rare))
    const weights = opts.sampling === 'class-aware' ? this.indexes.map((ix) => imageWeight(ix.counts, this.rarity, { presencePixels: opts.presencePixels })) : images.map(() => 1)
    this.sampler = new WeightedRandomSampler(weights)
    this.bank = new ComponentBank(opts.copyPaste > 0 ? this.components() : [], this.rarity.map((r, c) => (rare[c] ? r : 0)))
    this.spec = typeof opts.augment === 'string' ? AUGMENT_PRESETS[opts.augment] : opts.augment
  }

  info(): PipelineInfo {
    return { rarity: [...this.rarity], rareClasses: [...this.rareClasses], imageWeights: this.sampler.probabilities(), bankSize: this.bank.size }
  }

  /** The next image to cut a tile from, following the epoch plan (a new plan when it runs out). */
  nextImage(rng: Random): number {
    if (this.plan.length === 0) this.plan = this.sampler.epoch(rng, Math.max(1, this.opts.epochLength), this.opts.maxRepeats).reverse()
    return this.plan.pop() as number
  }

  /** One tile: sampled image, rare-biased or random crop, copy-paste, augmentation. */
  nextTile(rng: Random): LabeledImage {
    const i = this.nextImage(rng)
    const image = this.images[i]
    const size = this.opts.tileSize
    const o = tileOrigin(image, this.indexes[i], this.rarity, { width: size, height: size }, this.opts.rareCrop, rng)
    const tile = cutTile(image, o.x, o.y, size, size)
    if (this.opts.copyPaste > 0) copyPaste(tile, this.bank, { probability: this.opts.copyPaste, maxCount: this.opts.copyPasteMaxCount ?? 3 }, rng)
    return augmentTile(tile, this.spec, rng)
  }

  /** A batch of `batchSize` tiles. */
  nextBatch(rng: Random): PipelineBatch {
    const { tileSize: size, batchSize: count } = this.opts
    const c = this.channels
    const area = size * size
    const pixels = new Float32Array(count * area * c)
    const labels = new Int32Array(count * area)
    for (let b = 0; b < count; b++) {
      const tile = this.nextTile(rng)
      pixels.set(tile.data, b * area * c)
      labels.set(tile.labels, b * area)
    }
    return { size, count, channels: c, pixels, labels }
  }

  private components(): Component[] {
    const size = this.opts.tileSize
    const all = this.images.flatMap((img) =>
      extractComponents(img, { classes: this.rareClasses, minSize: 16, maxSide: Math.max(8, Math.floor(size / 2)), feather: this.opts.feather ?? 2 }),
    )
    const rng = new Rng(this.opts.seed ?? 0)
    const keep = this.opts.bankPerClass ?? 200
    return this.rareClasses.flatMap((c) => limitComponents(all.filter((comp) => comp.cls === c), keep, rng))
  }
}
