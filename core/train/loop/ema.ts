/**
 * An exponential moving average of a model's weights (all of them, batch-norm statistics included):
 * shadow ← d·shadow + (1 − d)·w after every optimiser step, with d = min(decay, (1 + n)/(10 + n)) so the
 * average follows closely while the run is young (a 150-step run would otherwise average mostly its
 * random start). Validation, checkpoints and prediction may use the average instead of the last weights.
 */
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'

export class WeightAverage {
  private readonly shadow: tf.Variable[]
  private updates = 0

  constructor(model: tfl.LayersModel, private readonly decay = 0.99) {
    this.shadow = model.weights.map((w) => tf.variable(w.read(), false))
  }

  /** Decay used by the next update. */
  nextDecay(): number {
    return Math.min(this.decay, (1 + this.updates) / (10 + this.updates))
  }

  /** Folds the model's current weights into the average. */
  update(model: tfl.LayersModel): void {
    const d = this.nextDecay()
    tf.tidy(() => {
      model.weights.forEach((w, i) => {
        const s = this.shadow[i]
        s.assign(tf.add(tf.mul(s, d), tf.mul(w.read(), 1 - d)))
      })
    })
    this.updates++
  }

  /** Runs `fn` with the averaged weights in `model`, then puts the model's own weights back. */
  async withAveraged<T>(model: tfl.LayersModel, fn: () => Promise<T>): Promise<T> {
    const raw = model.weights.map((w) => tf.clone(w.read()))
    try {
      model.weights.forEach((w, i) => w.write(this.shadow[i]))
      return await fn()
    } finally {
      model.weights.forEach((w, i) => w.write(raw[i]))
      for (const t of raw) t.dispose()
    }
  }

  /** Copies the average into another model of the same architecture (a teacher), leaving the source model alone. */
  copyInto(target: tfl.LayersModel): void {
    if (target.weights.length !== this.shadow.length) throw new Error(`copyInto: the target has ${target.weights.length} weights, the average ${this.shadow.length}`)
    target.weights.forEach((w, i) => w.write(this.shadow[i]))
  }

  /** Replaces the model's weights by the average for good (the run keeps the averaged model). */
  adopt(model: tfl.LayersModel): void {
    model.weights.forEach((w, i) => w.write(this.shadow[i]))
  }

  dispose(): void {
    for (const s of this.shadow) s.dispose()
  }
}
