/**
 * A short training probe: the benchmark U-Net (depth 3, base 16, batch norm) trained with Adam and
 * softmax cross-entropy on synthetic images for a fixed time on the active backend, in one thread.
 * It measures what a backend can do here, not what a run gets (runs on wasm add data-parallel threads).
 */
import * as tf from '@tensorflow/tfjs-core'
import { createUNet } from '../model/unet'

/** What to probe. */
export interface ProbeOptions {
  /** Tile side in pixels (divisible by 8). */
  size: number
  batch?: number
  /** Time spent in timed steps after the warm-up step (the last step may run over). */
  seconds: number
  classes?: number
}

/** The probe's measurement. */
export interface ProbeResult {
  size: number
  batch: number
  steps: number
  seconds: number
  imagesPerSecond: number
  /** Seconds of the first (warm-up) step: kernel compilation and allocation. */
  warmupSeconds: number
  loss: number
}

/** Trains for `seconds` on the current tfjs backend and returns images/second of the timed steps. */
export async function trainingProbe(opts: ProbeOptions): Promise<ProbeResult> {
  const batch = opts.batch ?? 8
  const classes = opts.classes ?? 4
  const { size } = opts
  const model = createUNet({ inChannels: 3, numClasses: classes, depth: 3, baseFilters: 16, batchNorm: true, seed: 1 })
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable)
  const optimizer = tf.train.adam(1e-3)
  const x = tf.randomUniform([batch, size, size, 3], 0, 1, 'float32', 1)
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([batch, size, size], 0, classes, 'int32', 2), classes))
  const step = async (): Promise<number> => {
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor), true, vars)
    const value = loss ? (await loss.data())[0] : NaN
    loss?.dispose()
    return value
  }
  try {
    const w0 = performance.now()
    await step()
    const warmupSeconds = (performance.now() - w0) / 1000
    const t0 = performance.now()
    let steps = 0
    let loss = NaN
    while (steps === 0 || performance.now() - t0 < opts.seconds * 1000) {
      loss = await step()
      steps++
    }
    const seconds = (performance.now() - t0) / 1000
    return { size, batch, steps, seconds, imagesPerSecond: (batch * steps) / seconds, warmupSeconds, loss }
  } finally {
    x.dispose()
    y.dispose()
    optimizer.dispose()
    model.dispose()
  }
}
