/**
 * NT-Xent, the normalised temperature-scaled cross-entropy of SimCLR (Chen et al. 2020). Two augmented
 * views of the same tile should have close embeddings, views of different tiles distant ones.
 *
 * With z1, z2 ∈ R^{N×D}, u = [z1; z2] ∈ R^{2N×D} row-wise L2-normalised, s_ij = u_i·u_j / τ:
 *
 *   ℓ_i = −log( exp(s_{i,p(i)}) / Σ_{k≠i} exp(s_ik) ),   p(i) = i + N (i < N), i − N (i ≥ N)
 *   L   = (1 / 2N) Σ_i ℓ_i
 *
 * i.e. a softmax cross-entropy over the 2N×2N similarity matrix with the diagonal (self-similarity)
 * masked out and the positive pair as target, averaged over all 2N anchors.
 */
import * as tf from '@tensorflow/tfjs-core'
// tfjs-core's Node bundle registers no gradient functions; tfjs-layers' bundle registers them all.
import '@tensorflow/tfjs-layers'
import { AppError } from '../../contract'

const FILE = 'core/train/ssl/nt-xent.ts'

/** Large negative logit standing in for −∞ on the masked diagonal (finite, so no NaN in gradients). */
const MASKED = -1e9

/** SimCLR's default temperature. */
export const DEFAULT_TEMPERATURE = 0.5

/**
 * Row-wise L2 normalisation. A row with norm ≤ 1e-6 (e.g. an all-zero pixel after ReLU) becomes zero
 * with a zero gradient: the normalisation's Jacobian grows as 1/‖x‖ and would blow up there.
 */
export function l2Normalise(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const sq = tf.sum(tf.square(x), 1, true)
    const alive = tf.step(tf.sub(sq, 1e-12))
    return tf.mul(tf.mul(x, alive), tf.rsqrt(tf.maximum(sq, 1e-12))) as tf.Tensor2D
  })
}

/**
 * NT-Xent loss of paired embeddings `z1`, `z2` ([N, D], row i of each = two views of sample i). Needs
 * N ≥ 2 (with N = 1 there is no negative). Differentiable; returns a scalar.
 */
export function ntXentLoss(z1: tf.Tensor2D, z2: tf.Tensor2D, temperature = DEFAULT_TEMPERATURE): tf.Scalar {
  if (z1.rank !== 2 || z2.rank !== 2 || z1.shape[0] !== z2.shape[0] || z1.shape[1] !== z2.shape[1]) {
    throw new AppError('INVALID_INPUT', `${FILE}: z1 and z2 must both be [N, D], got [${z1.shape.join(', ')}] and [${z2.shape.join(', ')}]`)
  }
  const n = z1.shape[0]
  if (n < 2) throw new AppError('INVALID_INPUT', `${FILE}: NT-Xent needs at least 2 pairs (negatives), got ${n}`)
  if (!(temperature > 0)) throw new AppError('INVALID_INPUT', `${FILE}: temperature must be > 0, got ${temperature}`)
  return tf.tidy(() => {
    const u = l2Normalise(tf.concat([z1, z2], 0) as tf.Tensor2D)
    const sim = tf.div(tf.matMul(u, u, false, true), temperature)
    const eye = tf.oneHot(tf.range(0, 2 * n, 1, 'int32'), 2 * n)
    const logits = tf.add(tf.mul(sim, tf.sub(1, eye)), tf.mul(eye, MASKED))
    const positives = tf.concat([tf.range(n, 2 * n, 1, 'int32'), tf.range(0, n, 1, 'int32')])
    const target = tf.oneHot(positives, 2 * n)
    const perAnchor = tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits)), 1))
    return tf.mean(perAnchor) as tf.Scalar
  })
}

/**
 * The value NT-Xent takes in closed form when every positive pair is identical (similarity 1/τ) and
 * every other pair has cosine similarity `negativeCosine`: −log(e^{1/τ} / (e^{1/τ} + (2N−2)·e^{c/τ})).
 * With the negatives as dissimilar as the geometry allows this is the minimum for that N, D and τ.
 */
export function ntXentIdenticalViews(n: number, temperature: number, negativeCosine: number): number {
  const pos = 1 / temperature
  const neg = negativeCosine / temperature
  return Math.log1p((2 * n - 2) * Math.exp(neg - pos))
}
