import { describe, expect, it } from 'vitest'
import { Mulberry32 } from './mulberry32'

describe('Mulberry32', () => {
  it('repeats a stream for a seed and differs between seeds', () => {
    const a = new Mulberry32(7)
    const b = new Mulberry32(7)
    const c = new Mulberry32(8)
    const xs = Array.from({ length: 5 }, () => a.next())
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs)
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs)
  })

  it('stays in [0, 1) with a mean near one half', () => {
    const r = new Mulberry32(1)
    let sum = 0
    for (let i = 0; i < 10_000; i++) {
      const x = r.next()
      expect(x).toBeGreaterThanOrEqual(0)
      expect(x).toBeLessThan(1)
      sum += x
    }
    expect(sum / 10_000).toBeCloseTo(0.5, 1)
  })
})
