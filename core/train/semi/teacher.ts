/**
 * The teacher of consistency training: a second U-Net of the run's architecture holding the moving
 * average of the student's weights (Mean Teacher / FixMatch with EMA), refreshed every few steps — the
 * average changes slowly, and a copy is cheaper than swapping the student's weights at every step. When
 * the run keeps no average (ema off) the teacher copies the student's own weights. It predicts in
 * inference mode (batch-norm moving statistics, no dropout) on weak views, and its probabilities get the
 * run's calibrated decision biases, so its arg-max is the decision validation scored.
 */
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import { applyBiasToProbs } from '../calibrate/bias'
import { createUNet } from '../model/unet'
import type { WeightAverage } from '../loop/ema'
import { logitsOf, readTidy } from '../loop/predict'
import type { ModelSpec } from '../loop/state'
import type { LabeledImage } from '../pipeline/types'

export class Teacher {
  private readonly model: tfl.LayersModel
  private sinceRefresh = Infinity
  /** Times the weights were copied in. */
  refreshes = 0

  constructor(
    spec: ModelSpec,
    seed: number,
    /** Student steps between two copies of the average. */
    private readonly refreshEvery = 10,
  ) {
    this.model = createUNet({ ...spec, seed })
  }

  /** Copies the average (or the student's weights without one) when `refreshEvery` steps have passed since the last copy. */
  follow(student: tfl.LayersModel, ema: WeightAverage | null): void {
    if (this.sinceRefresh < this.refreshEvery) {
      this.sinceRefresh++
      return
    }
    if (ema) ema.copyInto(this.model)
    else this.model.weights.forEach((w, i) => w.write(student.weights[i].read()))
    this.sinceRefresh = 1
    this.refreshes++
  }

  /** Softmax probabilities [tiles × size² × classes] of the weak views, calibrated by `bias`. */
  probabilities(tiles: readonly LabeledImage[], numClasses: number, bias: readonly number[] | null): Float32Array {
    const size = tiles[0].width
    const c = tiles[0].channels
    const area = size * size
    const pixels = new Float32Array(tiles.length * area * c)
    tiles.forEach((t, i) => pixels.set(t.data, i * area * c))
    const probs = readTidy(() => tf.softmax(logitsOf(this.model.predict(tf.tensor4d(pixels, [tiles.length, size, size, c])) as tf.Tensor | tf.Tensor[])))
    applyBiasToProbs(probs, numClasses, bias)
    return probs
  }

  /** The teacher's weights (tests). */
  weights(): tf.Tensor[] {
    return this.model.weights.map((w) => w.read())
  }

  dispose(): void {
    this.model.dispose()
  }
}
