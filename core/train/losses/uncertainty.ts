/**
 * Learned uncertainty weighting of several losses (Kendall, Gal & Cipolla 2018). Each loss L_i gets a
 * trainable log-variance s_i = log σ_i² (initial 0):
 *
 *   'full' (default):  total = Σ_i exp(−s_i) · L_i + s_i
 *   'half':            total = Σ_i ½ · exp(−s_i) · L_i + ½ · s_i   (the paper's Gaussian-likelihood form)
 *
 * 'full' is the form commonly used for classification-type losses such as segmentation CE; both have
 * their optimum at s_i = log L_i. The variables are trainable, so an optimizer minimising the total
 * updates them with the model; `dispose()` frees them.
 */
import * as tf from '@tensorflow/tfjs-core'
import { AppError } from '../../contract'

export type UncertaintyVariant = 'full' | 'half'

export interface UncertaintyOptions {
  variant?: UncertaintyVariant
  /** Initial log-variance of every loss (default 0, i.e. weight 1). */
  initialLogVariance?: number
}

/** Combines named losses with one learned log-variance each. */
export class UncertaintyWeighting {
  readonly names: readonly string[]
  readonly variant: UncertaintyVariant
  readonly logVariances: tf.Variable[]

  constructor(names: readonly string[], options: UncertaintyOptions = {}) {
    if (names.length === 0) throw new AppError('INVALID_INPUT', 'uncertainty weighting: give at least one loss name')
    this.names = [...names]
    this.variant = options.variant ?? 'full'
    const init = options.initialLogVariance ?? 0
    this.logVariances = names.map(() => tf.variable(tf.scalar(init), true))
  }

  /** The weighted total of `losses`, given in the order of `names`. */
  combine(losses: readonly tf.Scalar[]): tf.Scalar {
    if (losses.length !== this.names.length) {
      throw new AppError('INVALID_INPUT', `uncertainty weighting: got ${losses.length} losses for ${this.names.length} names (${this.names.join(', ')})`)
    }
    const half = this.variant === 'half' ? 0.5 : 1
    return tf.tidy(() => {
      const terms = losses.map((loss, i) => {
        const s = this.logVariances[i]
        return tf.mul(tf.add(tf.mul(tf.exp(tf.neg(s)), loss), s), half)
      })
      return tf.addN(terms) as tf.Scalar
    })
  }

  /** Current log-variances and the effective weight exp(−s) (× ½ for 'half') of each loss. */
  values(): { name: string; logVariance: number; weight: number }[] {
    const half = this.variant === 'half' ? 0.5 : 1
    return this.names.map((name, i) => {
      const s = this.logVariances[i].dataSync()[0]
      return { name, logVariance: s, weight: half * Math.exp(-s) }
    })
  }

  /** Frees the variables. */
  dispose(): void {
    for (const v of this.logVariances) v.dispose()
  }
}
