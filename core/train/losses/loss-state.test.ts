import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../contract'
import { DynamicClassWeights, batchClassCounts } from './dynamic-weights'
import { getLoss, lossNames } from './registry'
import { UncertaintyWeighting } from './uncertainty'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('dynamic class weights', () => {
  it('counts labeled pixels per class, skipping 255', () => {
    const labels = tf.tensor3d([0, 1, 1, 255, 2, 255], [1, 2, 3], 'int32')
    expect(Array.from(batchClassCounts(labels, 3))).toEqual([1, 2, 1])
  })

  it('turns an EMA of batch counts into inverse-frequency weights with mean 1', () => {
    const dyn = new DynamicClassWeights(2, { momentum: 0.9 })
    expect(dyn.weights).toEqual([1, 1])
    // first batch sets the EMA: f = [0.9, 0.1] → w ∝ [1/0.9, 1/0.1] → [0.2, 1.8]
    const w1 = dyn.updateCounts([90, 10])
    expect(w1[0]).toBeCloseTo(0.2, 10)
    expect(w1[1]).toBeCloseTo(1.8, 10)
    // ema = 0.9·[90, 10] + 0.1·[50, 50] = [86, 14] → f = [0.86, 0.14] → [0.28, 1.72]
    const w2 = dyn.updateCounts([50, 50])
    expect(w2[0]).toBeCloseTo(0.28, 10)
    expect(w2[1]).toBeCloseTo(1.72, 10)
    // a batch with nothing labeled leaves the weights alone
    expect(dyn.updateCounts([0, 0])).toEqual(w2)
  })

  it('gives unseen classes 0, caps weights and supports a softer power', () => {
    const dyn = new DynamicClassWeights(3, { maxWeight: 1.5 })
    const w = dyn.update(tf.tensor3d([0, 0, 0, 1], [1, 2, 2], 'int32'))
    // f = [0.75, 0.25, 0] → raw [4/3, 4] → mean 1: [0.5, 1.5]
    expect(w[0]).toBeCloseTo(0.5, 10)
    expect(w[1]).toBeCloseTo(1.5, 10)
    expect(w[2]).toBe(0)
    const soft = new DynamicClassWeights(2, { power: 0.5 }).updateCounts([75, 25])
    expect(soft[1] / soft[0]).toBeCloseTo(Math.sqrt(3), 10)
    expect(() => new DynamicClassWeights(2, { momentum: 1 })).toThrow(/momentum/)
  })
})

describe('uncertainty weighting', () => {
  it('computes Σ exp(−s)·L + s and its gradients', () => {
    const uw = new UncertaintyWeighting(['seg', 'boundary'])
    const losses = [tf.scalar(2), tf.scalar(0.5)]
    expect(uw.combine(losses).dataSync()[0]).toBeCloseTo(2.5, 6)
    // ∂/∂s_i = −exp(−s_i)·L_i + 1
    const { grads } = tf.variableGrads(() => uw.combine(losses), uw.logVariances)
    const g = uw.logVariances.map((v) => grads[v.name].dataSync()[0])
    expect(g[0]).toBeCloseTo(-1, 6)
    expect(g[1]).toBeCloseTo(0.5, 6)
    uw.dispose()
  })

  it('the ½ variant halves every term', () => {
    const uw = new UncertaintyWeighting(['a', 'b'], { variant: 'half', initialLogVariance: Math.log(2) })
    // ½·(e^{−ln2}·4 + ln2) + ½·(e^{−ln2}·1 + ln2) = ½·(2 + 0.5) + ln 2
    expect(uw.combine([tf.scalar(4), tf.scalar(1)]).dataSync()[0]).toBeCloseTo(1.25 + Math.log(2), 6)
    expect(uw.values()[0].weight).toBeCloseTo(0.25, 6)
    uw.dispose()
  })

  it('learns s = log L under gradient descent', () => {
    const uw = new UncertaintyWeighting(['a', 'b'])
    const opt = tf.train.sgd(0.1)
    const losses = [tf.scalar(2), tf.scalar(0.5)]
    for (let i = 0; i < 300; i++) opt.minimize(() => uw.combine(losses), false, uw.logVariances)
    const s = uw.values().map((v) => v.logVariance)
    expect(s[0]).toBeCloseTo(Math.log(2), 3)
    expect(s[1]).toBeCloseTo(Math.log(0.5), 3)
    expect(() => uw.combine([tf.scalar(1)])).toThrow(/got 1 losses for 2 names/)
    uw.dispose()
    opt.dispose()
  })
})

describe('loss registry', () => {
  it('throws a helpful error for an unknown name', () => {
    let caught: unknown
    try {
      getLoss('tversky')
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(AppError)
    expect((caught as AppError).message).toBe('Unknown loss "tversky". Valid losses: ce, weighted-ce, focal, dice, ce-dice, ohem.')
  })

  it('every loss is finite, ignores 255, has finite gradients and leaks no tensors', () => {
    const logits = tf.randomNormal([2, 4, 4, 3], 0, 3, 'float32', 13) as tf.Tensor4D
    const flat = Array.from({ length: 32 }, (_, i) => [0, 1, 2, 255, 0, 1][i % 6])
    const labels = tf.tensor3d(flat, [2, 4, 4], 'int32')
    // the same batch with different logits at the ignored pixels
    const mask = tf.tensor4d(flat.flatMap((l) => (l === 255 ? [1, 1, 1] : [0, 0, 0])), [2, 4, 4, 3])
    const logits2 = tf.add(logits, tf.mul(mask, 25)) as tf.Tensor4D
    const options = { classWeights: [0.5, 1, 2], alpha: [0.25, 0.5, 0.25], gamma: 2, topK: 0.3, minKept: 4 }
    expect(lossNames()).toEqual(['ce', 'weighted-ce', 'focal', 'dice', 'ce-dice', 'ohem'])
    for (const name of lossNames()) {
      const loss = getLoss(name)
      const before = tf.memory().numTensors
      const out = loss(logits, labels, options)
      const v = out.dataSync()[0]
      out.dispose()
      expect(tf.memory().numTensors, name).toBe(before)
      expect(Number.isFinite(v) && v > 0, name).toBe(true)
      const other = loss(logits2, labels, options)
      expect(other.dataSync()[0], name).toBeCloseTo(v, 5)
      const g = tf.grad((x: tf.Tensor) => loss(x as tf.Tensor4D, labels, options))(logits).dataSync()
      expect(Array.from(g).every(Number.isFinite), name).toBe(true)
      expect(Array.from(g).some((x) => x !== 0), name).toBe(true)
    }
  })

  it('every loss gives 0 with finite gradients when no pixel is labeled', () => {
    const logits = tf.randomNormal([1, 3, 3, 3], 0, 3, 'float32', 17) as tf.Tensor4D
    const labels = tf.fill([1, 3, 3], 255, 'int32') as tf.Tensor3D
    for (const name of lossNames()) {
      const loss = getLoss(name)
      expect(loss(logits, labels, { classWeights: [1, 2, 3] }).dataSync()[0], name).toBe(0)
      const g = tf.grad((x: tf.Tensor) => loss(x as tf.Tensor4D, labels))(logits).dataSync()
      expect(Array.from(g).every(Number.isFinite), name).toBe(true)
    }
  })
})
