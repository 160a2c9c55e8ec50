/**
 * The training objective of a run: the configured segmentation loss from the registry with its class
 * weights (static from core/balance, or dynamic from an EMA of batch class counts), plus, when the
 * model has a boundary head, a boundary loss — summed, or combined by learned uncertainty weighting
 * (Kendall et al. 2018), whose log-variances are extra trainable variables. With `loss.pixelContrast`
 * the supervised pixel-contrastive loss of core/train/ssl on the decoder features (the model's last
 * output) joins them, by its fixed weight or in the uncertainty weighting.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { TrainConfig } from '../../contract'
import { DynamicClassWeights, getLoss, UncertaintyWeighting, type LossFn, type LossOptions } from '../losses'
import { PixelContrast } from '../ssl/pixel-contrast'
import { mixSeed, Rng } from './rng'

/** A loss over model outputs and int32 labels (255 ignored); call inside tf.tidy / minimize. */
export interface Objective {
  /** Trainable variables of the objective itself (uncertainty log-variances). */
  readonly variables: tf.Variable[]
  /** Updates per-batch state (dynamic class weights) from the batch's labels; call once per batch. */
  observe(labels: Int32Array): void
  /** The scalar loss of one batch. */
  loss(outputs: tf.Tensor | tf.Tensor[], labels: tf.Tensor3D, boundary: tf.Tensor4D | null): tf.Scalar
  /** The class weights in force (static, or dynamic after the last `observe`); null: unweighted. */
  classWeights(): number[] | null
  /** Replaces the class weights in force until the next `observe` (data-parallel replicas follow the loop's). */
  setClassWeights(weights: number[] | null): void
  /** The segmentation loss alone (for validation). */
  segmentationLoss(logits: tf.Tensor4D, labels: tf.Tensor3D): tf.Scalar
  dispose(): void
}

/**
 * Boundary targets: 1 where a labeled pixel has a 4-neighbour with another label, else 0; the second
 * array is 1 where the pixel is labeled (the loss's weight). Shapes [B·S·S].
 */
export function boundaryTargets(labels: Int32Array, size: number): { target: Float32Array; valid: Float32Array } {
  const target = new Float32Array(labels.length)
  const valid = new Float32Array(labels.length)
  const area = size * size
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]
    if (l === 255) continue
    valid[i] = 1
    const p = i % area
    const x = p % size
    const y = (p - x) / size
    const near = [x > 0 ? i - 1 : -1, x < size - 1 ? i + 1 : -1, y > 0 ? i - size : -1, y < size - 1 ? i + size : -1]
    if (near.some((j) => j >= 0 && labels[j] !== 255 && labels[j] !== l)) target[i] = 1
  }
  return { target, valid }
}

/**
 * Builds the objective of `config` for `numClasses` classes with static weights (null: unweighted).
 * `featureChannels` (the decoder's last width) is needed when `loss.pixelContrast` is on.
 */
export function createObjective(config: TrainConfig, numClasses: number, staticWeights: number[] | null, featureChannels?: number): Objective {
  const opts = config.loss
  // Plain 'ce' ignores class weights; with a weighting scheme it means class-weighted CE.
  const name = opts.name === 'ce' && (staticWeights || opts.dynamicWeights) ? 'weighted-ce' : opts.name
  const fn: LossFn = getLoss(name)
  const dynamic = opts.dynamicWeights ? new DynamicClassWeights(numClasses) : null
  const contrast = opts.pixelContrast > 0 && featureChannels
    ? new PixelContrast({ numClasses, featureChannels, maxPixels: 1024, perClassMax: 256, seed: config.seed })
    : null
  const sampleRng = new Rng(mixSeed(config.seed, 4242))
  let sample: { indices: Int32Array; labels: Int32Array } | null = null
  const names = ['segmentation', ...(opts.boundaryHead ? ['boundary'] : []), ...(contrast ? ['pixel-contrast'] : [])]
  const uncertainty = opts.uncertaintyWeighting ? new UncertaintyWeighting(names) : null
  let weights = staticWeights
  const lossOptions = (): LossOptions => ({
    classWeights: weights ?? undefined,
    alpha: weights ?? 1,
    gamma: opts.focalGamma,
    topK: opts.ohemTopK,
    minKept: opts.ohemMinPixels,
  })
  const segmentationLoss = (logits: tf.Tensor4D, labels: tf.Tensor3D): tf.Scalar => fn(logits, labels, lossOptions())
  return {
    variables: [...(uncertainty ? uncertainty.logVariances : []), ...(contrast ? contrast.variables : [])],
    observe(labels) {
      if (contrast) {
        const indices = contrast.sample(labels, sampleRng)
        sample = { indices, labels: Int32Array.from(indices, (i) => labels[i]) }
      }
      if (!dynamic) return
      const dyn = dynamic.update(labels)
      weights = staticWeights ? dyn.map((w, c) => w * staticWeights[c]) : dyn
    },
    classWeights: () => (weights ? [...weights] : null),
    setClassWeights(next) {
      weights = next ? [...next] : null
    },
    segmentationLoss,
    loss(outputs, labels, boundary) {
      return tf.tidy(() => {
        const list = Array.isArray(outputs) ? outputs : [outputs]
        const seg = segmentationLoss(list[0] as tf.Tensor4D, labels)
        const terms: tf.Scalar[] = [seg]
        if (opts.boundaryHead && boundary && list.length > 1) {
          const [target, valid] = tf.split(boundary, 2, -1)
          terms.push(tf.losses.sigmoidCrossEntropy(target, list[1], valid, 0, tf.Reduction.SUM_BY_NONZERO_WEIGHTS) as tf.Scalar)
        }
        if (contrast && sample && list.length > 1) {
          const aux = contrast.loss(list[list.length - 1] as tf.Tensor4D, sample.indices, sample.labels)
          terms.push(uncertainty ? aux : (tf.mul(aux, opts.pixelContrast) as tf.Scalar))
        }
        if (uncertainty) return uncertainty.combine(terms)
        return terms.length === 1 ? seg : (tf.addN(terms) as tf.Scalar)
      })
    },
    dispose() {
      uncertainty?.dispose()
      contrast?.dispose()
    },
  }
}
