import { describe, expect, it } from 'vitest'
import { clampBrushSize, snapBrushCentre, strokeSpans } from './brush'
import { countSet, isConnected, seeded, spanGrid } from './test-helpers'

function stroke(a: [number, number], b: [number, number], size: number, w = 300, h = 300): Uint8Array {
  const g = spanGrid(w, h)
  strokeSpans({ x: a[0], y: a[1] }, { x: b[0], y: b[1] }, size, w, h, g.sink)
  return g.grid
}

describe('brush', () => {
  it('clamps sizes to 1..200', () => {
    expect(clampBrushSize(0)).toBe(1)
    expect(clampBrushSize(250)).toBe(200)
    expect(clampBrushSize(7.4)).toBe(7)
    expect(clampBrushSize(Number.NaN)).toBe(1)
  })

  it('paints exactly the pixel under the pointer with size 1, and a 2×2 block with size 2', () => {
    const one = stroke([4.9, 7.1], [4.9, 7.1], 1, 10, 10)
    expect(countSet(one)).toBe(1)
    expect(one[7 * 10 + 4]).toBe(1)
    const two = stroke([5.2, 5.2], [5.2, 5.2], 2, 10, 10)
    expect(countSet(two)).toBe(4)
    expect([two[44], two[45], two[54], two[55]]).toEqual([1, 1, 1, 1])
  })

  it('stamps a round disc whose area is close to π r² and which is symmetric', () => {
    for (const size of [9, 40, 121, 200]) {
      const w = 260
      const g = stroke([130, 130], [130, 130], size, w, w)
      const r = size / 2
      expect(Math.abs(countSet(g) - Math.PI * r * r) / (Math.PI * r * r)).toBeLessThan(size < 20 ? 0.12 : 0.03)
      const c = snapBrushCentre({ x: 130, y: 130 }, size)
      let asymmetric = 0
      for (let y = 0; y < w; y++) {
        for (let x = 0; x < w; x++) {
          const mx = Math.round(2 * c.x - x - 1)
          const my = Math.round(2 * c.y - y - 1)
          if (mx >= 0 && my >= 0 && mx < w && my < w && g[y * w + x] !== g[my * w + mx]) asymmetric++
          if (g[y * w + x] !== g[x * w + y]) asymmetric++
        }
      }
      expect(asymmetric).toBe(0)
    }
  })

  it('leaves no gap between far-apart pointer samples, for every size from 1 to 200', () => {
    const rand = seeded(3)
    for (let size = 1; size <= 200; size += size < 10 ? 1 : 17) {
      for (let k = 0; k < 4; k++) {
        const a: [number, number] = [rand() * 300, rand() * 300]
        const b: [number, number] = [rand() * 300, rand() * 300]
        const g = stroke(a, b, size)
        // Size 1 is a 1-pixel line: 8-connected. Thicker strokes are 4-connected.
        expect(isConnected(g, 300, 300, size === 1)).toBe(true)
        // The stroke covers the brush disc centred anywhere on the segment between the snapped ends.
        const A = snapBrushCentre({ x: a[0], y: a[1] }, size)
        const B = snapBrushCentre({ x: b[0], y: b[1] }, size)
        const r = size / 2
        for (let t = 0; t <= 1; t += 0.125) {
          const px = A.x + (B.x - A.x) * t
          const py = A.y + (B.y - A.y) * t
          for (let y = Math.max(0, Math.floor(py - r)); y < Math.min(300, py + r); y++) {
            for (let x = Math.max(0, Math.floor(px - r)); x < Math.min(300, px + r); x++) {
              if (Math.hypot(x + 0.5 - px, y + 0.5 - py) <= r - 1e-6 && !g[y * 300 + x]) expect.fail(`size ${size}: (${x}, ${y}) not covered`)
            }
          }
        }
      }
    }
  })

  it('joins the segments of a polyline into one connected stroke', () => {
    const g = spanGrid(200, 200)
    const pts = [[10, 10], [150, 30], [40, 180], [190, 190], [5, 100]]
    for (let i = 1; i < pts.length; i++) {
      strokeSpans({ x: pts[i - 1][0], y: pts[i - 1][1] }, { x: pts[i][0], y: pts[i][1] }, 1, 200, 200, g.sink)
    }
    expect(isConnected(g.grid, 200, 200, true)).toBe(true)
  })

  it('clips at the image border and returns null for strokes fully outside', () => {
    const g = spanGrid(20, 20)
    const box = strokeSpans({ x: -3, y: 10 }, { x: 5, y: 10 }, 6, 20, 20, g.sink)
    expect(box?.x).toBe(0)
    expect(box?.y).toBe(7)
    expect(box?.h).toBe(6)
    expect(strokeSpans({ x: -50, y: -50 }, { x: -40, y: -60 }, 10, 20, 20, g.sink)).toBeNull()
  })
})
