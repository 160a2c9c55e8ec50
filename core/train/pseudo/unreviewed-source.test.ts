import { describe, expect, it } from 'vitest'
import { thinMask } from './unreviewed-source'

describe('thinMask', () => {
  const mask = new Uint8Array(20000).map((_, i) => (i % 10 === 0 ? 255 : i % 3))

  it('keeps about the weight of the labeled pixels, the same ones every call', () => {
    const a = thinMask(mask, 0.3, 42, 7)
    const labeled = mask.filter((c) => c !== 255).length
    const kept = a.filter((c) => c !== 255).length
    expect(kept / labeled).toBeGreaterThan(0.27)
    expect(kept / labeled).toBeLessThan(0.33)
    expect(thinMask(mask, 0.3, 42, 7)).toEqual(a)
    expect(thinMask(mask, 0.3, 42, 8)).not.toEqual(a)
    expect(a.every((c, i) => c === 255 || c === mask[i])).toBe(true)
  })

  it('keeps all at weight 1 and none at 0', () => {
    expect(thinMask(mask, 1, 1, 1)).toEqual(mask)
    expect(thinMask(mask, 0, 1, 1).every((c) => c === 255)).toBe(true)
  })
})
