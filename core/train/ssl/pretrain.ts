/**
 * SimCLR pretraining of the U-Net encoder on unlabeled (and labeled) images: each step draws a batch
 * of tiles, makes two augmented views of each (views.ts), passes all 2B views through the encoder and
 * projection head in one batch (so batch norm sees both) and minimises NT-Xent with Adam under a
 * cosine learning-rate decay. Progress per step, cancellation between steps, seeded randomness; it owns
 * its tensors and frees them before it returns the encoder as a {@link PretrainedEncoder}.
 */
import * as tf from '@tensorflow/tfjs-core'
import { AppError } from '../../contract'
import type { PixelImage } from '../loop/data-source'
import type { Normalisation } from '../loop/normalisation'
import { mixSeed, Rng } from '../loop/rng'
import { ScheduledAdam } from '../loop/state'
import { createSimClrModels, type EncoderSpec } from './encoder'
import { ntXentLoss, DEFAULT_TEMPERATURE } from './nt-xent'
import { serialiseEncoder, type PretrainedEncoder } from './pretrained'
import { augmentedView, DEFAULT_VIEW_OPTIONS, type ViewOptions } from './views'

const FILE = 'core/train/ssl/pretrain.ts'

/** Progress of a pretraining job, once per step. */
export interface PretrainProgress {
  epoch: number
  epochs: number
  step: number
  steps: number
  /** Mean NT-Xent of the epoch so far. */
  loss: number
  imagesPerSecond: number
  etaSeconds: number
}

export interface PretrainOptions {
  /** Raw pixels (any precision); channels are mapped to `spec.inChannels` as training does. */
  images: readonly PixelImage[]
  /** Applied to every window before the views; null when the pixels are normalised already. */
  normalisation: Normalisation | null
  /** The U-Net shape whose encoder is pretrained (must match the later training run's). */
  spec: EncoderSpec
  epochs: number
  batchSize: number
  tileSize: number
  temperature?: number
  /** Adam's starting learning rate (cosine decay to 1% over the epochs); default 1e-3. */
  lr?: number
  /** Steps per epoch; default: the images' tile count / batch size (at least 1). */
  stepsPerEpoch?: number
  projectionDim?: number
  views?: ViewOptions
  seed?: number
  /** Wall-clock budget: stops after the epoch that crosses it. */
  minutes?: number | null
  signal?: AbortSignal
  onProgress?: (p: PretrainProgress) => void
}

export interface PretrainResult {
  status: 'completed' | 'cancelled'
  /** Epochs completed. */
  epochs: number
  /** The encoder as it is when the loop stopped (null when cancelled before the first step). */
  encoder: PretrainedEncoder | null
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

function check(o: PretrainOptions): void {
  const problems: string[] = []
  if (o.images.length === 0) problems.push('no images to pretrain on')
  if (!Number.isInteger(o.epochs) || o.epochs < 1) problems.push(`epochs must be a positive integer, got ${o.epochs}`)
  if (!Number.isInteger(o.batchSize) || o.batchSize < 2) problems.push(`batchSize must be an integer ≥ 2 (NT-Xent needs negatives), got ${o.batchSize}`)
  const unit = 2 ** o.spec.depth
  if (!Number.isInteger(o.tileSize) || o.tileSize < unit || o.tileSize % unit !== 0) problems.push(`tileSize must be a multiple of 2^depth = ${unit}, got ${o.tileSize}`)
  if (problems.length > 0) throw new AppError('INVALID_INPUT', `${FILE}: ${problems.join('; ')}`)
}

/**
 * A window of up to 1.5 tiles per side at a random place of `img`, as normalised float HWC with
 * `channels` channels (alpha dropped, grey repeated, as core/train/loop's toChannels does).
 */
export function randomWindow(img: PixelImage, tileSize: number, channels: number, norm: Normalisation | null, rng: Rng): { data: Float32Array; width: number; height: number } {
  const side = Math.round(tileSize * 1.5)
  const width = Math.min(side, img.width)
  const height = Math.min(side, img.height)
  const x0 = rng.int(img.width - width + 1)
  const y0 = rng.int(img.height - height + 1)
  const data = new Float32Array(width * height * channels)
  const from = img.channels
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const src = ((y0 + y) * img.width + x0 + x) * from
      const dst = (y * width + x) * channels
      for (let c = 0; c < channels; c++) {
        const sc = c < from ? c : from === 1 ? 0 : -1
        const v = sc >= 0 ? img.data[src + sc] : 0
        data[dst + c] = norm ? (v - norm.mean[c]) / norm.std[c] : v
      }
    }
  }
  return { data, width, height }
}

/** Picks images with probability proportional to their area (each pixel equally likely). */
function areaPicker(images: readonly PixelImage[]): (rng: Rng) => PixelImage {
  const cumulative: number[] = []
  let total = 0
  for (const img of images) cumulative.push((total += img.width * img.height))
  return (rng) => {
    const r = rng.next() * total
    let lo = 0
    let hi = cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cumulative[mid] > r) hi = mid
      else lo = mid + 1
    }
    return images[lo]
  }
}

/** Trains the encoder of `spec` with SimCLR; see the file comment. */
export async function pretrainEncoder(o: PretrainOptions): Promise<PretrainResult> {
  check(o)
  const temperature = o.temperature ?? DEFAULT_TEMPERATURE
  const lr = o.lr ?? 1e-3
  const seed = o.seed ?? 42
  const { tileSize: size, batchSize: batch, epochs } = o
  const channels = o.spec.inChannels
  const tiles = o.images.reduce((n, img) => n + Math.ceil(img.width / size) * Math.ceil(img.height / size), 0)
  const steps = o.stepsPerEpoch ?? Math.max(1, Math.ceil(tiles / batch))
  const views = o.views ?? DEFAULT_VIEW_OPTIONS
  const pick = areaPicker(o.images)
  const models = createSimClrModels(o.spec, { projectionDim: o.projectionDim, seed })
  const optimizer = new ScheduledAdam(lr)
  const vars = models.projector.trainableWeights.map((w) => w.read() as tf.Variable)
  const losses: number[] = []
  const started = performance.now()
  let done = 0
  let status: PretrainResult['status'] = 'completed'
  try {
    for (let epoch = 0; epoch < epochs && status === 'completed'; epoch++) {
      optimizer.setLearningRate(lr * (0.01 + 0.99 * 0.5 * (1 + Math.cos((Math.PI * epoch) / epochs))))
      const rng = new Rng(mixSeed(seed, epoch + 1))
      let sum = 0
      for (let step = 0; step < steps; step++) {
        if (o.signal?.aborted) {
          status = 'cancelled'
          break
        }
        const pixels = new Float32Array(2 * batch * size * size * channels)
        const stride = size * size * channels
        for (let b = 0; b < batch; b++) {
          const w = randomWindow(pick(rng), size, channels, o.normalisation, rng)
          pixels.set(augmentedView(w.data, w.width, w.height, channels, size, rng, views), b * stride)
          pixels.set(augmentedView(w.data, w.width, w.height, channels, size, rng, views), (batch + b) * stride)
        }
        const loss = tf.tidy(() => {
          const x = tf.tensor4d(pixels, [2 * batch, size, size, channels])
          const value = optimizer.minimize(() => {
            const z = models.projector.apply(x, { training: true }) as tf.Tensor2D
            const [z1, z2] = tf.split(z, 2, 0) as [tf.Tensor2D, tf.Tensor2D]
            return ntXentLoss(z1, z2, temperature)
          }, true, vars)
          return value ? value.dataSync()[0] : NaN
        })
        if (!Number.isFinite(loss)) throw new AppError('INTERNAL', `${FILE}: NT-Xent became ${loss} at epoch ${epoch + 1}, step ${step + 1}; lower the learning rate`)
        sum += loss
        done++
        const secs = (performance.now() - started) / 1000
        o.onProgress?.({
          epoch: epoch + 1, epochs, step: step + 1, steps, loss: sum / (step + 1),
          imagesPerSecond: (done * batch) / Math.max(secs, 1e-9),
          etaSeconds: (secs / done) * (epochs * steps - done),
        })
        await tick()
      }
      if (status === 'completed') losses.push(sum / steps)
      if (o.minutes && (performance.now() - started) / 60_000 >= o.minutes) break
    }
    const encoder: PretrainedEncoder | null = done === 0 ? null : {
      spec: o.spec,
      model: await serialiseEncoder(models.encoder),
      normalisation: o.normalisation,
      tileSize: size,
      temperature,
      epochs: losses.length,
      losses,
      seconds: (performance.now() - started) / 1000,
    }
    return { status, epochs: losses.length, encoder }
  } finally {
    optimizer.dispose()
    models.dispose()
  }
}
