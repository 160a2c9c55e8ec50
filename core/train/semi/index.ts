/**
 * Semi-supervised training on the project's unlabeled images (issue 16): consistency training with an
 * EMA teacher, per-class thresholds and strong views. `startConsistency` is what the training loop calls.
 */
import type { TrainConfig } from '../../contract'
import type { TrainingSource } from '../loop/data-source'
import type { PreparedData } from '../loop/prepare'
import { mixSeed, Rng } from '../loop/rng'
import type { ModelSpec } from '../loop/state'
import { ConsistencyTraining } from './consistency'
import { UnlabeledPool } from './unlabeled-pool'

export { ConsistencyTraining, SHARE, RAMP, type Student } from './consistency'
export { ClassThresholds, DEFAULT_THRESHOLDS, type Selection, type ThresholdOptions } from './thresholds'
export { Teacher } from './teacher'
export { UnlabeledPool, UNLABELED_BYTES } from './unlabeled-pool'
export { cutMix, strongPixels, type TargetTile } from './views'

/** A run's consistency training with what the report says about it. */
export interface Started {
  semi: ConsistencyTraining
  /** Unlabeled images read into memory. */
  images: number
  /** Why fewer were read than the project has, if so. */
  note: string | null
}

/**
 * Reads the unlabeled images and sets up consistency training, or returns null when the config turns it
 * off or the project has no unlabeled image (the source says which images have no labeled pixel).
 */
export async function startConsistency(o: { source: TrainingSource; data: PreparedData; spec: ModelSpec; config: TrainConfig; signal?: AbortSignal; maxBytes?: number }): Promise<Started | null> {
  if (!o.config.semi || !o.source.unlabeledImages) return null
  const refs = await o.source.unlabeledImages()
  if (refs.length === 0) return null
  const pool = await UnlabeledPool.load({ source: o.source, refs, channels: o.data.channels, normalisation: o.data.normalisation, rng: new Rng(mixSeed(o.config.seed, 4243)), maxBytes: o.maxBytes, signal: o.signal })
  if (!pool) return null
  const semi = new ConsistencyTraining({ pool, spec: o.spec, seed: o.config.seed, numClasses: o.data.classes.length })
  const note = pool.size < refs.length ? `${pool.size} of ${refs.length} unlabeled images read (the memory cap for unlabeled pixels)` : null
  return { semi, images: pool.size, note }
}
