/**
 * Validation of one epoch: every validation image cut into a grid of non-overlapping tiles (padding
 * labeled 255, so no pixel counts twice and none is missed), run through the model in inference mode,
 * scored into a confusion matrix and the segmentation loss averaged over tiles with labeled pixels.
 */
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import { joinSamples, type PixelSample } from '../calibrate/bias'
import { ConfusionMatrix } from '../metrics'
import { cutTile } from './batch'
import type { TrainImage } from './data-source'
import type { Objective } from './objective'
import { logitsOf, tileProbs } from './predict'
import type { TilePick } from './sampler'

/** Grid tiles covering an image, the last row and column padded. */
export function gridTiles(image: TrainImage, size: number): TilePick[] {
  const picks: TilePick[] = []
  for (let y = 0; y < image.height; y += size) for (let x = 0; x < image.width; x += size) picks.push({ image, x, y })
  return picks
}

export interface ValidationResult {
  confusion: ConfusionMatrix
  /** Mean segmentation loss over batches with labeled pixels; null when none had any. */
  loss: number | null
  cancelled: boolean
  /** Log-probabilities of every `sampleEvery`-th validation pixel (for calibration); null when not asked for. */
  sample: PixelSample | null
}

/** A batch of validation tiles as plain arrays. */
export interface ValidationBatch {
  pixels: Float32Array
  labels: Int32Array
  count: number
}

/** Log-probabilities and labels of every `every`-th labeled pixel of a batch (by flat pixel index). */
function samplePixels(logp: Float32Array, labels: Int32Array, classes: number, every: number): PixelSample {
  const picked: number[] = []
  for (let i = 0; i < labels.length; i += every) if (labels[i] !== 255) picked.push(i)
  const out = new Float32Array(picked.length * classes)
  picked.forEach((i, k) => out.set(logp.subarray(i * classes, (i + 1) * classes), k * classes))
  return { logp: out, labels: Uint8Array.from(picked, (i) => labels[i]), classes }
}

/**
 * Runs one batch through `model` in inference mode, adds it to `confusion` and returns its
 * segmentation loss; null (and nothing added) when no pixel of the batch is labeled. With
 * `sampleEvery` > 0 it also pushes a pixel sample of log-probabilities to `samples`; with `tta` the
 * probabilities are averaged over the flips (as prediction with flip averaging would give).
 */
export function scoreBatch(model: tfl.LayersModel, objective: Objective, batch: ValidationBatch, size: number, channels: number, confusion: ConfusionMatrix, sampleEvery = 0, samples?: PixelSample[], tta = false): number | null {
  if (!batch.labels.some((l) => l !== 255)) return null
  const held: { logp: tf.Tensor | null } = { logp: null }
  const loss = tf.tidy(() => {
    const x = tf.tensor4d(batch.pixels, [batch.count, size, size, channels])
    const y = tf.tensor3d(batch.labels, [batch.count, size, size], 'int32')
    // log of the flip-averaged probabilities works as logits: softmax gives the probabilities back.
    const logits = tta ? tf.log(tf.maximum(tileProbs(model, x, true), 1e-7)) as tf.Tensor4D : logitsOf(model.predict(x) as tf.Tensor | tf.Tensor[])
    confusion.addTensors(logits, y)
    if (sampleEvery > 0) held.logp = tf.keep(tf.logSoftmax(logits))
    return objective.segmentationLoss(logits, y).dataSync()[0]
  })
  if (held.logp) {
    const t = held.logp
    samples?.push(samplePixels(t.dataSync() as Float32Array, batch.labels, t.shape[t.shape.length - 1] ?? 1, sampleEvery))
    t.dispose()
  }
  return loss
}

/** Validation batches of `size` tiles scored together, e.g. shared between data-parallel threads (core/train/parallel); other threads' pixel samples go to `samples`. */
export type ValidationRunner = (
  batches: ValidationBatch[],
  local: (batch: ValidationBatch, confusion: ConfusionMatrix) => number | null,
  confusion: ConfusionMatrix,
  samples: PixelSample[],
) => Promise<number[]>

/** Scores `model` on `images`; stops early (cancelled) when `signal` aborts. With `many`, several batches go out at once. */
export async function validate(
  model: tfl.LayersModel,
  images: readonly TrainImage[],
  opts: { size: number; batch: number; numClasses: number; objective: Objective; signal?: AbortSignal; onBatch?: (done: number, total: number) => void; many?: { runner: ValidationRunner; batches: number }; sampleEvery?: number; tta?: boolean },
): Promise<ValidationResult> {
  const { size, numClasses } = opts
  const confusion = new ConfusionMatrix(numClasses)
  const picks = images.flatMap((img) => gridTiles(img, size))
  const total = Math.ceil(picks.length / opts.batch)
  const step = opts.many ? Math.max(1, opts.many.batches) : 1
  let lossSum = 0
  let lossBatches = 0
  const every = opts.sampleEvery ?? 0
  const samples: PixelSample[] = []
  for (let b = 0; b < total; b += step) {
    if (opts.signal?.aborted) return { confusion, loss: null, cancelled: true, sample: null }
    const batches: ValidationBatch[] = []
    for (let k = b; k < Math.min(total, b + step); k++) batches.push(cutBatch(picks.slice(k * opts.batch, (k + 1) * opts.batch), size))
    const channels = picks[0].image.channels
    const local = (batch: ValidationBatch, into: ConfusionMatrix): number | null => scoreBatch(model, opts.objective, batch, size, channels, into, every, samples, opts.tta ?? false)
    const losses = opts.many ? await opts.many.runner(batches, local, confusion, samples) : batches.map((batch) => local(batch, confusion)).filter((l): l is number => l !== null)
    for (const l of losses) {
      lossSum += l
      lossBatches++
    }
    opts.onBatch?.(Math.min(total, b + step), total)
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
  return { confusion, loss: lossBatches > 0 ? lossSum / lossBatches : null, cancelled: false, sample: every > 0 ? joinSamples(samples, numClasses) : null }
}

/** The tiles of `group` as one batch of arrays (padding labeled 255). */
function cutBatch(group: readonly TilePick[], size: number): ValidationBatch {
  const channels = group[0].image.channels
  const area = size * size
  const pixels = new Float32Array(group.length * area * channels)
  const labels = new Int32Array(group.length * area)
  group.forEach((pick, k) => {
    const tile = cutTile(pick, size)
    pixels.set(tile.pixels, k * area * channels)
    labels.set(tile.labels, k * area)
  })
  return { pixels, labels, count: group.length }
}
