/**
 * Consistency training in the run (FixMatch / UniMatch style, issue 16): after the first validation the
 * last tiles of every labeled batch are replaced by unlabeled ones — the teacher labels a weak view where
 * it is confident (per-class thresholds, ./thresholds), and the student trains on a strong view of the same
 * pixels (./views) against those targets, in the same loss as the labels. The unlabeled share of the batch
 * ramps from 0 to SHARE over RAMP of the budget, so a teacher that has barely started does not teach.
 * Pixels below the thresholds are 255 and count in no loss: a confident pixel weighs like a labeled one,
 * an unsure one not at all.
 */
import type { SemiReport } from '../../contract'
import type { Batch } from '../loop/batch'
import type { WeightAverage } from '../loop/ema'
import type { ModelSpec } from '../loop/state'
import type { LabeledImage, Random } from '../pipeline/types'
import type * as tfl from '@tensorflow/tfjs-layers'
import { ClassThresholds, DEFAULT_THRESHOLDS, type ThresholdOptions } from './thresholds'
import { Teacher } from './teacher'
import type { UnlabeledPool } from './unlabeled-pool'
import { cutMix, strongPixels, type TargetTile } from './views'

/** Largest share of a batch given to unlabeled tiles. */
export const SHARE = 0.5
/** Share of the budget over which the unlabeled share ramps in, from the first validation on. */
export const RAMP = 0.3

export interface ConsistencySetup {
  pool: UnlabeledPool
  spec: ModelSpec
  seed: number
  numClasses: number
  share?: number
  ramp?: number
  thresholds?: ThresholdOptions
  refreshEvery?: number
}

/** The student the teacher follows. */
export interface Student {
  model: tfl.LayersModel
  ema: WeightAverage | null
}

export class ConsistencyTraining {
  readonly thresholds: ClassThresholds
  private readonly teacher: Teacher
  private readonly share: number
  private readonly ramp: number
  private rampStart: number | null = null
  private bias: number[] | null = null
  private tilesSeen = 0
  private steps = 0
  private pixels = 0
  private readonly kept: number[]
  private usedAverage = true

  constructor(private readonly s: ConsistencySetup) {
    this.thresholds = new ClassThresholds(s.numClasses, s.thresholds ?? DEFAULT_THRESHOLDS)
    this.teacher = new Teacher(s.spec, s.seed, s.refreshEvery)
    this.share = s.share ?? SHARE
    this.ramp = s.ramp ?? RAMP
    this.kept = new Array<number>(s.numClasses).fill(0)
  }

  /**
   * After a validation of the student (its average when it keeps one): per-class precision scales the
   * thresholds, `bias` calibrates the teacher, and the ramp starts at `fraction` of the budget.
   */
  observe(precision: readonly (number | null)[], bias: readonly number[] | null, fraction: number): void {
    this.thresholds.setPrecision(precision)
    this.bias = bias ? [...bias] : null
    this.rampStart ??= fraction
  }

  /** Unlabeled tiles in a batch of `count` at `fraction` of the budget (0 before the first validation; never all). */
  unlabeledTiles(count: number, fraction: number): number {
    if (this.rampStart === null || count < 2) return 0
    const r = this.ramp > 0 ? Math.min(1, Math.max(0, (fraction - this.rampStart) / this.ramp)) : 1
    return Math.min(count - 1, Math.round(count * this.share * r))
  }

  /** `batch` with its last tiles replaced by strong unlabeled views and the teacher's targets (the batch itself when none). */
  mix(batch: Batch, rng: Random, student: Student, fraction: number): Batch {
    const u = this.unlabeledTiles(batch.count, fraction)
    if (u === 0) return batch
    this.usedAverage = student.ema !== null
    this.teacher.follow(student.model, student.ema)
    const { size, channels } = batch
    const area = size * size
    const weak: LabeledImage[] = Array.from({ length: u }, () => this.s.pool.weakTile(rng, size))
    const probs = this.teacher.probabilities(weak, this.s.numClasses, this.bias)
    const padding = new Uint8Array(u * area)
    weak.forEach((w, i) => padding.set(w.labels, i * area))
    const chosen = this.thresholds.select(probs, padding)
    this.pixels += chosen.pixels
    chosen.kept.forEach((k, c) => (this.kept[c] += k))
    const tiles: TargetTile[] = weak.map((w, i) => ({ size, channels, pixels: strongPixels(w, rng), targets: chosen.targets.subarray(i * area, (i + 1) * area) }))
    cutMix(tiles, rng)
    const pixels = batch.pixels.slice()
    const labels = batch.labels.slice()
    const first = batch.count - u
    tiles.forEach((t, i) => {
      pixels.set(t.pixels, (first + i) * area * channels)
      labels.set(t.targets, (first + i) * area)
    })
    this.tilesSeen += u
    this.steps++
    return { ...batch, pixels, labels }
  }

  /** The run report's account of it. */
  report(unlabeledImages: number, note: string | null = null): SemiReport {
    const notes = [note, this.usedAverage ? null : 'the run keeps no weight average (ema off): the student was its own teacher'].filter((n): n is string => n !== null)
    return {
      unlabeledImages,
      tilesSeen: this.tilesSeen,
      steps: this.steps,
      thresholds: this.thresholds.thresholds(),
      confidentShare: this.kept.map((k) => (this.pixels > 0 ? k / this.pixels : 0)),
      pseudoPrecision: this.thresholds.precisions(),
      ramp: this.rampStart === null
        ? 'not started: no validation yet'
        : `from ${Math.round(this.rampStart * 100)} % of the budget (the first validation), up to ${Math.round(this.share * 100)} % of each batch over the next ${Math.round(this.ramp * 100)} %`,
      note: notes.length > 0 ? notes.join('; ') : null,
    }
  }

  dispose(): void {
    this.teacher.dispose()
  }
}
