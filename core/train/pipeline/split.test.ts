import { describe, expect, it } from 'vitest'
import { Rng } from '../loop/rng'
import { stratifiedSplit, type SplitItem } from './split'

/** `n` images: every one has class 0; class k > 0 appears in the images listed in `where[k]`. */
function items(n: number, where: Record<number, number[]>): SplitItem[] {
  return Array.from({ length: n }, (_, i) => {
    const counts = [100, 0, 0, 0, 0]
    for (const [k, ids] of Object.entries(where)) if (ids.includes(i + 1)) counts[Number(k)] = 10
    return { id: i + 1, counts }
  })
}

describe('stratified validation split', () => {
  const data = items(20, { 1: [3, 9], 2: [4, 5, 6, 7, 8, 10, 11, 12], 3: [2, 15, 17], 4: [19] })

  it('is disjoint and covers every image', () => {
    const s = stratifiedSplit(data, 0.25, 42)
    expect(s.shared).toBe(false)
    expect(s.validation.length).toBe(5)
    expect(s.validation.filter((id) => s.train.includes(id))).toEqual([])
    expect([...s.train, ...s.validation].sort((a, b) => a - b)).toEqual(data.map((d) => d.id))
  })

  it('puts every class that another image keeps in training into validation, for any seed', () => {
    for (let seed = 0; seed < 50; seed++) {
      const s = stratifiedSplit(data, 0.2, seed)
      const has = (ids: number[], c: number): boolean => ids.some((id) => data[id - 1].counts[c] > 0)
      for (const c of [0, 1, 2, 3]) {
        expect(has(s.validation, c)).toBe(true)
        expect(has(s.train, c)).toBe(true)
      }
      // Class 4 is in one image only: it stays in training.
      expect(s.train).toContain(19)
    }
  })

  it('is deterministic for a seed and independent of input order', () => {
    const a = stratifiedSplit(data, 0.3, 7)
    const b = stratifiedSplit(new Rng(1).shuffle(data), 0.3, 7)
    expect(b).toEqual(a)
    const seeds = new Set(Array.from({ length: 10 }, (_, s) => stratifiedSplit(data, 0.3, s).validation.join(',')))
    expect(seeds.size).toBeGreaterThan(1)
  })

  it('keeps at least one image on each side and shares a lone image', () => {
    expect(stratifiedSplit(items(2, {}), 0.5, 1).validation.length).toBe(1)
    expect(stratifiedSplit(items(2, {}), 0.01, 1).validation.length).toBe(1)
    expect(stratifiedSplit(items(3, {}), 0.99, 1).train.length).toBe(1)
    expect(stratifiedSplit(items(1, {}), 0.2, 1)).toEqual({ train: [1], validation: [1], shared: true })
    expect(stratifiedSplit(items(4, {}), 0, 1)).toEqual({ train: [1, 2, 3, 4], validation: [], shared: false })
  })

  it('takes a validation image even when every image holds a class of its own', () => {
    const s = stratifiedSplit(items(2, { 1: [1], 2: [2] }), 0.5, 3)
    expect(s.validation.length).toBe(1)
    expect(s.train.length).toBe(1)
  })
})
