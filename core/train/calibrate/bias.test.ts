import { describe, expect, it } from 'vitest'
import { applyBiasToProbs, confusionWithBias, fitBias, targetScore, type PixelSample } from './bias'
import { Rng } from '../loop/rng'

/**
 * A constructed over-predicting model: class 1 is rare (10 % of pixels). Its true pixels get
 * p(1) ~ U(0.5, 1); of the others, a third get p(1) ~ U(0.4, 0.75) (look-alikes), the rest U(0, 0.3).
 * Plain arg-max (threshold 0.5) marks about half of the look-alikes as class 1; the best threshold is
 * 0.75 (every look-alike below it, every true pixel but a sliver above), i.e. a bias of about
 * log(0.25/0.75) − log(0.5/0.5) ≈ −1.1 on class 1.
 */
function biasedSample(n: number, seed: number): PixelSample {
  const rng = new Rng(seed)
  const logp = new Float32Array(n * 2)
  const labels = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const rare = rng.next() < 0.1
    const p1 = rare ? 0.5 + 0.5 * rng.next() : rng.next() < 1 / 3 ? 0.4 + 0.35 * rng.next() : 0.3 * rng.next()
    labels[i] = rare ? 1 : 0
    logp[i * 2] = Math.log(Math.max(1e-6, 1 - p1))
    logp[i * 2 + 1] = Math.log(Math.max(1e-6, p1))
  }
  return { logp, labels, classes: 2 }
}

describe('per-class decision biases', () => {
  it('finds the threshold a biased model needs, and scores better with it on fresh pixels', () => {
    const fit = fitBias(biasedSample(20_000, 1), { kind: 'classIoU', index: 1 })
    expect(fit.bias[0]).toBe(0)
    expect(fit.bias[1]).toBeLessThan(-0.6)
    expect(fit.bias[1]).toBeGreaterThan(-1.6)
    expect(fit.after).toBeGreaterThan(fit.before + 0.1)
    const fresh = biasedSample(20_000, 2)
    const plain = targetScore(confusionWithBias(fresh, [0, 0]), { kind: 'classIoU', index: 1 })
    const calibrated = targetScore(confusionWithBias(fresh, fit.bias), { kind: 'classIoU', index: 1 })
    expect(calibrated).toBeGreaterThan(plain + 0.1)
  })

  it('leaves a calibrated model alone', () => {
    const n = 5000
    const rng = new Rng(3)
    const logp = new Float32Array(n * 3)
    const labels = new Uint8Array(n)
    for (let i = 0; i < n; i++) {
      const c = rng.int(3)
      labels[i] = c
      for (let k = 0; k < 3; k++) logp[i * 3 + k] = Math.log(k === c ? 0.8 : 0.1)
    }
    const fit = fitBias({ logp, labels, classes: 3 }, { kind: 'macroF1' })
    expect(fit.bias).toEqual([0, 0, 0])
    expect(fit.after).toBe(1)
  })

  it('applies biases to probabilities so arg-max and confidence follow the calibrated decision', () => {
    const probs = Float32Array.from([0.4, 0.6, 0.9, 0.1])
    applyBiasToProbs(probs, 2, [0, Math.log(0.5)])
    expect(probs[0]).toBeCloseTo(0.4 / 0.7, 5)
    expect(probs[1]).toBeCloseTo(0.3 / 0.7, 5)
    expect(probs[2] + probs[3]).toBeCloseTo(1, 5)
    const untouched = Float32Array.from([0.4, 0.6])
    applyBiasToProbs(untouched, 2, null)
    expect(Array.from(untouched)).toEqual([Math.fround(0.4), Math.fround(0.6)])
  })
})
