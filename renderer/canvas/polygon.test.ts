import { describe, expect, it } from 'vitest'
import { rasterizePolygon, type FillRule } from './polygon'
import { countSet, seeded, spanGrid } from './test-helpers'

/** Reference inside test at a point: winding number and crossing parity, edge by edge. */
function insideRef(pts: number[], px: number, py: number, rule: FillRule): boolean {
  let winding = 0
  let crossings = 0
  const n = pts.length / 2
  for (let i = 0; i < n; i++) {
    const x0 = pts[2 * i]
    const y0 = pts[2 * i + 1]
    const x1 = pts[(2 * i + 2) % pts.length]
    const y1 = pts[(2 * i + 3) % pts.length]
    const upward = y0 <= py && py < y1
    const downward = y1 <= py && py < y0
    if (!upward && !downward) continue
    const x = x0 + ((py - y0) * (x1 - x0)) / (y1 - y0)
    if (x > px) {
      crossings++
      winding += upward ? 1 : -1
    }
  }
  return rule === 'nonzero' ? winding !== 0 : crossings % 2 === 1
}

function raster(pts: number[], w: number, h: number, rule: FillRule): Uint8Array {
  const g = spanGrid(w, h)
  rasterizePolygon(pts, w, h, rule, g.sink)
  return g.grid
}

function reference(pts: number[], w: number, h: number, rule: FillRule): Uint8Array {
  const grid = new Uint8Array(w * h)
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) grid[y * w + x] = insideRef(pts, x + 0.5, y + 0.5, rule) ? 1 : 0
  return grid
}

/** Five-pointed star drawn by joining every second vertex of a regular pentagon (self-intersecting). */
function pentagram(cx: number, cy: number, r: number): number[] {
  const pts: number[] = []
  for (let k = 0; k < 5; k++) {
    const a = -Math.PI / 2 + (k * 2 * (2 * Math.PI)) / 5
    pts.push(cx + r * Math.cos(a), cy + r * Math.sin(a))
  }
  return pts
}

describe('rasterizePolygon', () => {
  it('fills an axis-aligned rectangle exactly (pixel centres inside)', () => {
    const g = spanGrid(10, 10)
    const box = rasterizePolygon([2, 3, 7, 3, 7, 8, 2, 8], 10, 10, 'nonzero', g.sink)
    expect(countSet(g.grid)).toBe(25)
    expect(box).toEqual({ x: 2, y: 3, w: 5, h: 5 })
  })

  it('fills a bow-tie (self-intersecting) as two triangles under both rules', () => {
    const bowtie = [0, 0, 20, 20, 20, 0, 0, 20]
    const even = raster(bowtie, 20, 20, 'evenodd')
    const nonzero = raster(bowtie, 20, 20, 'nonzero')
    expect(even).toEqual(nonzero)
    expect(even).toEqual(reference(bowtie, 20, 20, 'evenodd'))
    // The triangles are left and right of the crossing; top and bottom middle stay empty.
    expect(even[1 * 20 + 10]).toBe(0)
    expect(even[10 * 20 + 1]).toBe(1)
    expect(even[10 * 20 + 18]).toBe(1)
    expect(countSet(even)).toBeGreaterThan(180)
    expect(countSet(even)).toBeLessThan(220)
  })

  it('leaves the pentagram centre empty with even-odd and fills it with nonzero', () => {
    const star = pentagram(50, 50, 45)
    const even = raster(star, 100, 100, 'evenodd')
    const nonzero = raster(star, 100, 100, 'nonzero')
    const centre = 50 * 100 + 50
    expect(even[centre]).toBe(0)
    expect(nonzero[centre]).toBe(1)
    expect(even).toEqual(reference(star, 100, 100, 'evenodd'))
    expect(nonzero).toEqual(reference(star, 100, 100, 'nonzero'))
    // The inner pentagon is the only difference: every even-odd pixel is also a nonzero pixel.
    for (let i = 0; i < even.length; i++) if (even[i]) expect(nonzero[i]).toBe(1)
    expect(countSet(nonzero) - countSet(even)).toBeGreaterThan(500)
  })

  it('treats a square traced twice as winding 2: empty under even-odd, full under nonzero', () => {
    const twice = [1, 1, 9, 1, 9, 9, 1, 9, 1, 1, 9, 1, 9, 9, 1, 9]
    expect(countSet(raster(twice, 10, 10, 'evenodd'))).toBe(0)
    expect(countSet(raster(twice, 10, 10, 'nonzero'))).toBe(64)
  })

  it('clips to the image and returns null when nothing is inside', () => {
    const g = spanGrid(10, 10)
    const box = rasterizePolygon([-5, -5, 5, -5, 5, 5, -5, 5], 10, 10, 'nonzero', g.sink)
    expect(box).toEqual({ x: 0, y: 0, w: 5, h: 5 })
    expect(countSet(g.grid)).toBe(25)
    expect(rasterizePolygon([20, 20, 30, 20, 30, 30], 10, 10, 'nonzero', g.sink)).toBeNull()
    expect(rasterizePolygon([1, 1, 5, 5], 10, 10, 'nonzero', g.sink)).toBeNull()
  })

  it('matches the reference inside test on random self-intersecting polygons, both rules', () => {
    const rand = seeded(11)
    for (let trial = 0; trial < 60; trial++) {
      const n = 3 + Math.floor(rand() * 12)
      const pts: number[] = []
      for (let i = 0; i < 2 * n; i++) pts.push(rand() * 48 - 4)
      for (const rule of ['evenodd', 'nonzero'] as const) expect(raster(pts, 40, 40, rule)).toEqual(reference(pts, 40, 40, rule))
    }
  })

  it('shares vertices between adjacent triangles without gaps or overlaps', () => {
    const a = raster([0, 0, 30, 0, 0, 30], 30, 30, 'nonzero')
    const b = raster([30, 0, 30, 30, 0, 30], 30, 30, 'nonzero')
    for (let i = 0; i < a.length; i++) expect(a[i] + b[i]).toBe(1)
  })
})
