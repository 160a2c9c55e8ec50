import { describe, expect, it } from 'vitest'
import { colourHistogram, distance, similarity, type Feature } from './diversity'
import { fillUnkept, pixelDoubt } from './uncertainty'

/** A w×h RGB image of one colour. */
function flat(w: number, h: number, rgb: [number, number, number]): Uint8Array {
  const data = new Uint8Array(w * h * 3)
  for (let p = 0; p < w * h; p++) data.set(rgb, p * 3)
  return data
}

const feature = (rgb: [number, number, number], classes: number[] | null = null): Feature => ({ colour: colourHistogram(flat(4, 4, rgb), 4, 4, 3), classes })

describe('diversity features', () => {
  it('measures distance in 0..1: same scene 0, disjoint colours 1, similarity ≈ 1 and ≈ 0', () => {
    const red = feature([200, 40, 40])
    expect(red.colour.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6)
    expect(distance(red, feature([201, 41, 40]))).toBe(0)
    expect(similarity(red, feature([201, 41, 40]))).toBe(1)
    expect(distance(red, feature([40, 200, 200]))).toBeCloseTo(1, 6)
    expect(similarity(red, feature([40, 200, 200]))).toBeLessThan(1e-6)
    // One channel of three in another bin: a third of the way.
    expect(distance(red, feature([40, 40, 40]))).toBeCloseTo(1 / 3, 6)
    // Class shares count half when both sides have them.
    expect(distance(feature([200, 40, 40], [1, 0]), feature([200, 40, 40], [0, 1]))).toBeCloseTo(0.5, 6)
  })

  it('takes a region of the image when given one', () => {
    // Left half black, right half white (8×4); the right half's histogram is all white.
    const data = new Uint8Array(8 * 4 * 3)
    for (let y = 0; y < 4; y++) for (let x = 4; x < 8; x++) data.fill(255, (y * 8 + x) * 3, (y * 8 + x) * 3 + 3)
    const right = colourHistogram(data, 8, 4, 3, { x: 50, y: 0, width: 50, height: 50, of: { width: 100, height: 50 } })
    expect(distance({ colour: right, classes: null }, feature([255, 255, 255]))).toBe(0)
  })
})

describe('pixel doubt', () => {
  it('is 0 at probability 1 and 1 at a uniform guess, attributing unkept pixels to the nearest kept class on the row', () => {
    const mask = Uint8Array.from([0, 255, 255, 255, 2, 255, 255, 255])
    expect([...fillUnkept(mask, 4, 2)]).toEqual([0, 0, 0, 0, 2, 2, 2, 2])
    expect([...fillUnkept(Uint8Array.from([1, 255, 255, 2]), 4, 1)]).toEqual([1, 1, 2, 2])
    const d = pixelDoubt({ width: 2, height: 1, mask: Uint8Array.from([0, 1]), confidence: Uint8Array.from([255, 85]) }, 3)
    expect(d.doubt[0]).toBe(0)
    expect(d.doubt[1]).toBeCloseTo(1, 2)
  })
})
