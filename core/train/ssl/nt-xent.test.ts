import * as tf from '@tensorflow/tfjs-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../backend'
import { ntXentIdenticalViews, ntXentLoss } from './nt-xent'

const value = (f: () => tf.Scalar): number => tf.tidy(() => f().dataSync()[0])
const t2 = (rows: number[][]): tf.Tensor2D => tf.tensor2d(rows)

/** Unit vectors at the given angles (radians) in the plane. */
const angles = (a: number[]): number[][] => a.map((x) => [Math.cos(x), Math.sin(x)])

describe('NT-Xent', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'cpu' })
  })

  it('matches a 2×2 case computed by hand', () => {
    // u = [1,0], [0,1], [1,1]/√2, [0,1]; τ = 1. Per anchor (computed by hand):
    // ℓ0 = −√½ + ln(2 + e^√½) = 0.686192, ℓ1 = ℓ3 = −1 + ln(1 + e^√½ + e) = 0.748573, ℓ2 = ln 3.
    const expected = (0.6861917 + 0.748573 + Math.log(3) + 0.748573) / 4
    const loss = value(() => ntXentLoss(t2([[1, 0], [0, 1]]), t2([[1, 1], [0, 1]]), 1))
    expect(loss).toBeCloseTo(expected, 5)
    expect(loss).toBeCloseTo(0.820488, 5)
  })

  it('ignores the embeddings\u2019 lengths (cosine similarity)', () => {
    const a = value(() => ntXentLoss(t2([[1, 0], [0, 1]]), t2([[1, 1], [0, 1]]), 1))
    const b = value(() => ntXentLoss(t2([[5, 0], [0, 0.1]]), t2([[3, 3], [0, 7]]), 1))
    expect(b).toBeCloseTo(a, 5)
  })

  it('is symmetric in swapping the two views', () => {
    const next = ((s: number) => () => ((s = (s * 1103515245 + 12345) % 2 ** 31), s / 2 ** 31 - 0.5))(7)
    const rows = (): number[][] => Array.from({ length: 5 }, () => Array.from({ length: 4 }, next))
    const z1 = rows()
    const z2 = rows()
    for (const tau of [0.1, 0.5, 1]) {
      const ab = value(() => ntXentLoss(t2(z1), t2(z2), tau))
      const ba = value(() => ntXentLoss(t2(z2), t2(z1), tau))
      expect(ab).toBeCloseTo(ba, 5)
      expect(ab).toBeGreaterThan(0)
    }
  })

  it('is minimal for identical views spread as a regular simplex, and equals the closed form there', () => {
    // Three pairs in the plane at 120°: the most spread-out configuration (cos = −1/(N−1) = −½).
    const simplex = angles([0, (2 * Math.PI) / 3, (4 * Math.PI) / 3])
    for (const tau of [0.2, 0.5, 1]) {
      const min = value(() => ntXentLoss(t2(simplex), t2(simplex), tau))
      expect(min).toBeCloseTo(ntXentIdenticalViews(3, tau, -0.5), 5)
      // Moving either view, or the negatives closer together, only increases the loss.
      const skewedViews = value(() => ntXentLoss(t2(simplex), t2(angles([0.3, (2 * Math.PI) / 3, (4 * Math.PI) / 3])), tau))
      const closerNegatives = value(() => {
        const closer = angles([0, 1.8, 4.2])
        return ntXentLoss(t2(closer), t2(closer), tau)
      })
      expect(skewedViews).toBeGreaterThan(min + 1e-4)
      expect(closerNegatives).toBeGreaterThan(min + 1e-4)
    }
  })

  it('identical views with orthogonal negatives equal the closed form', () => {
    const eye = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]
    expect(value(() => ntXentLoss(t2(eye), t2(eye), 0.5))).toBeCloseTo(ntXentIdenticalViews(4, 0.5, 0), 5)
    expect(ntXentIdenticalViews(4, 0.5, 0)).toBeCloseTo(Math.log(1 + 6 * Math.exp(-2)), 10)
  })

  it('has finite gradients and leaks no tensors', () => {
    const before = tf.memory().numTensors
    const z1 = tf.tidy(() => tf.variable(t2([[1, 2], [3, 4], [-1, 0]])))
    const z2 = tf.tidy(() => tf.variable(t2([[1, 2.5], [2, 4], [0, -1]])))
    const grads = tf.tidy(() => {
      const { grads: g } = tf.variableGrads(() => ntXentLoss(z1, z2, 0.5))
      return Object.values(g).map((t) => Array.from(t.dataSync()))
    })
    expect(grads.flat().every(Number.isFinite)).toBe(true)
    expect(grads.flat().some((v) => v !== 0)).toBe(true)
    z1.dispose()
    z2.dispose()
    expect(tf.memory().numTensors).toBe(before)
  })

  it('rejects mismatched shapes, a single pair and a bad temperature, naming the file', () => {
    expect(() => ntXentLoss(t2([[1, 0]]), t2([[1, 0]]))).toThrow(/nt-xent\.ts.*at least 2 pairs/)
    expect(() => ntXentLoss(t2([[1, 0], [0, 1]]), t2([[1, 0, 0], [0, 1, 0]]))).toThrow(/nt-xent\.ts.*\[N, D\]/)
    expect(() => ntXentLoss(t2([[1, 0], [0, 1]]), t2([[1, 0], [0, 1]]), 0)).toThrow(/temperature/)
  })
})
