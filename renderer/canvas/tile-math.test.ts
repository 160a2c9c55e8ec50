import { describe, expect, it } from 'vitest'
import { TILE_SIZE, tileGrid } from '../../core/contract'
import { drawPlan, levelForScale, parentTile, shouldTile, TILED_MIN_SIDE, tileId, tileImageRect, visibleTiles } from './tile-math'
import { fitView } from './viewport'

describe('shouldTile', () => {
  it('tiles images with a side of TILED_MIN_SIDE or more, unless forced', () => {
    expect(shouldTile(TILED_MIN_SIDE, 10)).toBe(true)
    expect(shouldTile(10, TILED_MIN_SIDE)).toBe(true)
    expect(shouldTile(TILED_MIN_SIDE - 1, TILED_MIN_SIDE - 1)).toBe(false)
    expect(shouldTile(100, 100, 'always')).toBe(true)
    expect(shouldTile(20_000, 20_000, 'never')).toBe(false)
  })
})

describe('levelForScale', () => {
  it('picks the coarsest level with 2^z ≤ 1/scale, clamped to the levels', () => {
    expect(levelForScale(2, 5)).toBe(0)
    expect(levelForScale(1, 5)).toBe(0)
    expect(levelForScale(0.6, 5)).toBe(0)
    expect(levelForScale(0.5, 5)).toBe(1)
    expect(levelForScale(0.26, 5)).toBe(1)
    expect(levelForScale(0.25, 5)).toBe(2)
    expect(levelForScale(0.1, 5)).toBe(3)
    expect(levelForScale(0.01, 5)).toBe(4)
  })

  it('asks for finer tiles on high-density screens', () => {
    expect(levelForScale(0.25, 5, 2)).toBe(1)
    expect(levelForScale(0.5, 5, 2)).toBe(0)
  })
})

describe('tileImageRect', () => {
  it('covers 512·2^level image pixels, clipped at the edge', () => {
    expect(tileImageRect(8000, 6000, { level: 0, x: 1, y: 2 })).toEqual({ x: 512, y: 1024, w: 512, h: 512 })
    expect(tileImageRect(8000, 6000, { level: 3, x: 1, y: 1 })).toEqual({ x: 4096, y: 4096, w: 8000 - 4096, h: 6000 - 4096 })
  })

  it('tiles of every level cover the image exactly once', () => {
    const [w, h] = [3000, 1300]
    const grid = tileGrid(w, h)
    for (let z = 0; z < grid.levels; z++) {
      const lv = grid.level(z)
      let area = 0
      for (let y = 0; y < lv.rows; y++) for (let x = 0; x < lv.cols; x++) {
        const r = tileImageRect(w, h, { level: z, x, y })
        area += r.w * r.h
      }
      expect(area).toBe(w * h)
    }
  })
})

describe('visibleTiles', () => {
  it('a fitted 8,000² image at its level needs every tile of that level', () => {
    const view = fitView(8000, 8000, 1100, 850)
    const level = levelForScale(view.scale, tileGrid(8000, 8000).levels)
    expect(level).toBe(3)
    const tiles = visibleTiles(view, 1100, 850, 8000, 8000, level)
    expect(tiles.map(tileId).sort()).toEqual(['3/0/0', '3/0/1', '3/1/0', '3/1/1'])
  })

  it('at 1:1 in the middle of the image, only the tiles under the viewport, centre first', () => {
    // Image point (4000, 4000) at the centre of a 1000 × 600 viewport.
    const view = { scale: 1, x: 500 - 4000, y: 300 - 4000 }
    const tiles = visibleTiles(view, 1000, 600, 8000, 8000, 0)
    // x from 3500 to 4500 → columns 6..8; y from 3700 to 4300 → rows 7..8.
    expect(tiles).toHaveLength(6)
    expect(new Set(tiles.map((t) => t.x))).toEqual(new Set([6, 7, 8]))
    expect(new Set(tiles.map((t) => t.y))).toEqual(new Set([7, 8]))
    expect(tileId(tiles[0])).toBe('0/7/7')
  })

  it('nothing when the image is off screen, and no tile past the last column', () => {
    expect(visibleTiles({ scale: 1, x: 5000, y: 0 }, 1000, 600, 1000, 1000, 0)).toEqual([])
    const edge = visibleTiles({ scale: 1, x: -(1000 - 300), y: 0 }, 1000, 600, 1000, 1000, 0)
    expect(Math.max(...edge.map((t) => t.x))).toBe(Math.ceil(1000 / TILE_SIZE) - 1)
  })
})

describe('parentTile', () => {
  it('finds the coarser tile containing a tile', () => {
    expect(parentTile({ level: 0, x: 7, y: 9 }, 2)).toEqual({ level: 2, x: 1, y: 2 })
    expect(parentTile({ level: 1, x: 3, y: 0 }, 1)).toEqual({ level: 1, x: 3, y: 0 })
  })
})

describe('drawPlan', () => {
  const visible = [
    { level: 0, x: 0, y: 0 },
    { level: 0, x: 1, y: 0 },
    { level: 0, x: 2, y: 0 },
  ]

  it('draws held tiles, and under missing ones the finest held ancestor, coarsest first', () => {
    const held = new Set(['0/0/0', '1/1/0', '3/0/0'])
    const plan = drawPlan(visible, 4, (id) => held.has(id))
    // 0/1/0 lies in 1/0/0, not held, so the overview shows under it; 0/2/0 lies in the held 1/1/0.
    expect(plan.map(tileId)).toEqual(['3/0/0', '1/1/0', '0/0/0'])
  })

  it('falls back to the overview, and draws nothing before any tile arrived', () => {
    expect(drawPlan(visible, 4, (id) => id === '3/0/0').map(tileId)).toEqual(['3/0/0'])
    expect(drawPlan(visible, 4, () => false)).toEqual([])
  })
})
