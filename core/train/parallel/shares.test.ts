import { describe, expect, it } from 'vitest'
import { averageShares, splitBatch } from './gradients'
import { evenCounts, shareTiles, splitLike } from './shares'

describe('data-parallel arithmetic and sharing', () => {
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

  it('shares the tiles of uneven batches equally between threads and splits the outputs back', () => {
    const per = 2
    const batch = (first: number, count: number): { pixels: Float32Array; count: number } => ({ pixels: Float32Array.from({ length: count * per }, (_, i) => first * per + i), count })
    // 4 + 4 + 3 tiles on 2 threads: 6 and 5 tiles, in batches of at most 4.
    const runs = shareTiles([batch(0, 4), batch(4, 4), batch(8, 3)], 2, per)
    expect(runs.map((r) => r.map((b) => b.count))).toEqual([[4, 2], [4, 1]])
    expect([...runs[1][0].pixels]).toEqual([12, 13, 14, 15, 16, 17, 18, 19])
    expect([...runs[1][1].pixels]).toEqual([20, 21])
    // Outputs of 3 values a tile, concatenated in thread order, back as batches of 4, 4 and 3 tiles.
    const outputs = runs.flat().map((b) => Float32Array.from({ length: b.count * 3 }, (_, i) => b.pixels[0] / per * 3 + i))
    const back = splitLike(outputs, [4, 4, 3])
    expect(back.map((b) => b.length)).toEqual([12, 12, 9])
    expect([...back[2]]).toEqual([24, 25, 26, 27, 28, 29, 30, 31, 32])
    expect(shareTiles([batch(0, 1)], 3, per).map((r) => r.length)).toEqual([1, 0, 0])
    expect(evenCounts(7, 3)).toEqual([3, 2, 2])
  })
})
