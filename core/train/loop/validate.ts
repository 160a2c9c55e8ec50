/**
 * Validation of one epoch: every validation image cut into a grid of non-overlapping tiles (padding
 * labeled 255, so no pixel counts twice and none is missed), run through the model in inference mode,
 * scored into a confusion matrix and the segmentation loss averaged over tiles with labeled pixels.
 */
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import { ConfusionMatrix } from '../metrics'
import { cutTile } from './batch'
import type { TrainImage } from './data-source'
import type { Objective } from './objective'
import { logitsOf } from './predict'
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
}

/** Scores `model` on `images`; stops early (cancelled) when `signal` aborts. */
export async function validate(
  model: tfl.LayersModel,
  images: readonly TrainImage[],
  opts: { size: number; batch: number; numClasses: number; objective: Objective; signal?: AbortSignal; onBatch?: (done: number, total: number) => void },
): Promise<ValidationResult> {
  const { size, numClasses } = opts
  const confusion = new ConfusionMatrix(numClasses)
  const picks = images.flatMap((img) => gridTiles(img, size))
  const total = Math.ceil(picks.length / opts.batch)
  let lossSum = 0
  let lossBatches = 0
  for (let b = 0; b < total; b++) {
    if (opts.signal?.aborted) return { confusion, loss: null, cancelled: true }
    const group = picks.slice(b * opts.batch, (b + 1) * opts.batch)
    const channels = group[0].image.channels
    const area = size * size
    const pixels = new Float32Array(group.length * area * channels)
    const labels = new Int32Array(group.length * area)
    let labeled = 0
    group.forEach((pick, k) => {
      const tile = cutTile(pick, size)
      pixels.set(tile.pixels, k * area * channels)
      labels.set(tile.labels, k * area)
    })
    for (const l of labels) if (l !== 255) labeled++
    if (labeled === 0) continue
    const loss = tf.tidy(() => {
      const x = tf.tensor4d(pixels, [group.length, size, size, channels])
      const y = tf.tensor3d(labels, [group.length, size, size], 'int32')
      const logits = logitsOf(model.predict(x) as tf.Tensor | tf.Tensor[])
      confusion.addTensors(logits, y)
      return opts.objective.segmentationLoss(logits, y).dataSync()[0]
    })
    lossSum += loss
    lossBatches++
    opts.onBatch?.(b + 1, total)
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
  return { confusion, loss: lossBatches > 0 ? lossSum / lossBatches : null, cancelled: false }
}
