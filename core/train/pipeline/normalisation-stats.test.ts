import { describe, expect, it } from 'vitest'
import { ImageCache } from './image-cache'
import { ChannelStatsAccumulator, measureChannelStats, normalisePixels, toLabeledImage } from './normalisation-stats'
import type { LabeledImage } from './types'

describe('normalisation statistics', () => {
  it('streams per-channel mean and std over images of any bit depth, equal to the two-pass values', () => {
    const a = { width: 2, height: 1, channels: 2, data: Uint8Array.from([0, 10, 4, 30]) }
    const b = { width: 1, height: 2, channels: 2, data: Uint16Array.from([8, 50, 12, 70]) }
    const s = measureChannelStats([a, b], 2)
    // Channel 0: 0, 4, 8, 12 → mean 6, var 20. Channel 1: 10, 30, 50, 70 → mean 40, var 500.
    expect(s.mean[0]).toBeCloseTo(6, 12)
    expect(s.mean[1]).toBeCloseTo(40, 12)
    expect(s.std[0]).toBeCloseTo(Math.sqrt(20), 12)
    expect(s.std[1]).toBeCloseTo(Math.sqrt(500), 12)
    const reversed = measureChannelStats([b, a], 2)
    expect(reversed.std[1]).toBeCloseTo(s.std[1], 12)
  })

  it('keeps precision on large 16-bit values with a tiny spread', () => {
    const n = 100_000
    const data = new Uint16Array(n)
    for (let i = 0; i < n; i++) data[i] = 60_000 + (i % 2)
    const s = measureChannelStats([{ width: n, height: 1, channels: 1, data }], 1)
    expect(s.mean[0]).toBeCloseTo(60_000.5, 9)
    expect(s.std[0]).toBeCloseTo(0.5, 9)
  })

  it('normalises to zero mean and unit std and floors a constant channel', () => {
    const img = { width: 4, height: 1, channels: 1, data: Float32Array.from([1, 2, 3, 4]) }
    const s = measureChannelStats([img], 1)
    const out = normalisePixels(img, s)
    expect(out.reduce((x, y) => x + y, 0)).toBeCloseTo(0, 6)
    expect(out.reduce((x, y) => x + y * y, 0) / 4).toBeCloseTo(1, 6)
    expect(measureChannelStats([{ width: 2, height: 1, channels: 1, data: Uint8Array.from([5, 5]) }], 1).std[0]).toBe(1e-6)
  })

  it('rejects a channel mismatch, an empty measurement and a mask of the wrong size', () => {
    const acc = new ChannelStatsAccumulator(3)
    expect(() => acc.stats()).toThrow(/no pixels/)
    expect(() => acc.add({ width: 1, height: 1, channels: 1, data: Uint8Array.from([1]) })).toThrow(/1 channels, expected 3/)
    const img = { width: 2, height: 2, channels: 1, data: new Uint8Array(4) }
    expect(() => toLabeledImage(img, new Uint8Array(3), { mean: [0], std: [1] }, 'a.png')).toThrow(/a\.png: mask has 3 pixels, image is 2×2/)
  })
})

describe('image cache', () => {
  const make = (id: number, pixels: number): LabeledImage => ({ width: pixels, height: 1, channels: 1, data: new Float32Array(pixels).fill(id), labels: new Uint8Array(pixels) })

  it('decodes each image once, evicts the least recently used within the budget', async () => {
    const loads: number[] = []
    // Each image of 10 pixels takes 50 bytes; the budget holds two.
    const cache = new ImageCache<number>(100, async (id) => {
      loads.push(id)
      return make(id, 10)
    })
    await cache.get(1)
    await cache.get(2)
    await cache.get(1)
    await cache.get(3)
    expect(cache.has(2)).toBe(false)
    expect(cache.has(1)).toBe(true)
    expect((await cache.get(3)).data[0]).toBe(3)
    expect(loads).toEqual([1, 2, 3])
    expect(cache.stats()).toEqual({ hits: 2, misses: 3, evictions: 1, bytes: 100, entries: 2 })
  })

  it('shares one load between concurrent requests and never keeps an image larger than the budget', async () => {
    let loads = 0
    const cache = new ImageCache<string>(30, async (key) => {
      loads++
      return make(key.length, key === 'big' ? 100 : 2)
    })
    const [a, b] = await Promise.all([cache.get('x'), cache.get('x')])
    expect(a).toBe(b)
    expect(loads).toBe(1)
    await cache.get('big')
    expect(cache.has('big')).toBe(false)
    expect(cache.has('x')).toBe(true)
  })
})
