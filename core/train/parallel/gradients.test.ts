import { describe, expect, it } from 'vitest'
import { averageShares, splitBatch } from './gradients'

describe('data-parallel arithmetic', () => {
  it('splits a batch into consecutive shares as equal as possible', () => {
    const size = 2
    const pixels = Float32Array.from({ length: 5 * size * size * 3 }, (_, i) => i)
    const labels = Int32Array.from({ length: 5 * size * size }, (_, i) => i)
    const shares = splitBatch({ size, count: 5, channels: 3, pixels, labels }, 2)
    expect(shares.map((s) => s.count)).toEqual([3, 2])
    expect(shares[0].pixels[0]).toBe(0)
    expect(shares[1].pixels[0]).toBe(3 * 12)
    expect(shares[1].labels[0]).toBe(3 * 4)
    expect(shares[0].pixels.length + shares[1].pixels.length).toBe(pixels.length)
    // More shares than tiles: the empty ones are dropped.
    expect(splitBatch({ size, count: 1, channels: 3, pixels: pixels.slice(0, 12), labels: labels.slice(0, 4) }, 3).map((s) => s.count)).toEqual([1])
  })

  it('averages shares weighted by their tile counts, skipping missing gradients', () => {
    const avg = averageShares(
      [
        { loss: 1, grads: [Float32Array.of(3, 6), null] },
        { loss: 4, grads: [Float32Array.of(0, 3), Float32Array.of(2)] },
      ],
      [2, 1],
    )
    expect(avg.loss).toBeCloseTo(2)
    expect([...(avg.grads[0] ?? [])]).toEqual([2, 5])
    expect([...(avg.grads[1] ?? [])].map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0.666667])
  })
})
