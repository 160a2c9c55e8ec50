import { describe, expect, it } from 'vitest'
import { heatTable, maskTable } from './overlay'
import { PREVIEW_MAX_SIDE, previewLevel, previewMap, previewScale, previewTiles } from './review-preview'

/** The RGBA of pixel (x, y) of a w-wide RGBA array. */
function px(rgba: Uint8ClampedArray, w: number, x: number, y: number): number[] {
  const o = (y * w + x) * 4
  return Array.from(rgba.subarray(o, o + 4))
}

describe('previewScale', () => {
  it('keeps normal images at full resolution and fits large ones into the preview side', () => {
    expect(previewScale(640, 480, false)).toBe(1)
    expect(previewScale(8000, 6000, true)).toBe(PREVIEW_MAX_SIDE / 8000)
    expect(previewScale(600, 9000, true)).toBe(PREVIEW_MAX_SIDE / 9000)
    expect(previewScale(500, 300, true)).toBe(1)
  })
})

describe('previewMap', () => {
  it('at scale 1 colours every pixel of the map, unlabeled transparent', () => {
    const map = { width: 2, height: 2, data: Uint8Array.from([0, 1, 255, 9]) }
    const out = previewMap(map, maskTable(['#ff0000', '#00ff80'], 100), 1)
    expect([out.width, out.height]).toEqual([2, 2])
    expect(Array.from(out.rgba)).toEqual([255, 0, 0, 100, 0, 255, 128, 100, 0, 0, 0, 0, 0, 0, 0, 0])
  })

  it('samples a large map down to the preview size, nearest neighbour, up to its last row and column', () => {
    const side = 8000
    const data = new Uint8Array(side * side)
    // Left half confidence 0, right half 255, and the last row 255 too.
    for (let y = 0; y < side; y++) data.fill(255, y * side + side / 2, (y + 1) * side)
    data.fill(255, (side - 1) * side)
    const out = previewMap({ width: side, height: side, data }, heatTable(), previewScale(side, side, true))
    expect([out.width, out.height]).toEqual([PREVIEW_MAX_SIDE, PREVIEW_MAX_SIDE])
    expect(out.rgba.length).toBe(PREVIEW_MAX_SIDE * PREVIEW_MAX_SIDE * 4)
    expect(px(out.rgba, out.width, 0, 0)).toEqual([214, 48, 49, 255])
    expect(px(out.rgba, out.width, 511, 500)).toEqual([214, 48, 49, 255])
    expect(px(out.rgba, out.width, 512, 500)).toEqual([52, 178, 110, 255])
    expect(px(out.rgba, out.width, out.width - 1, out.height - 1)).toEqual([52, 178, 110, 255])
  })
})

describe('previewLevel and previewTiles', () => {
  it('draws an 8,000² image from the four tiles of its 1,000² level', () => {
    const level = previewLevel(8000, 8000)
    expect(level).toBe(3)
    const plan = previewTiles(8000, 8000, level)
    expect([plan.width, plan.height]).toEqual([1000, 1000])
    expect(plan.tiles).toEqual([
      { tile: { level: 3, x: 0, y: 0 }, left: 0, top: 0 },
      { tile: { level: 3, x: 1, y: 0 }, left: 512, top: 0 },
      { tile: { level: 3, x: 0, y: 1 }, left: 0, top: 512 },
      { tile: { level: 3, x: 1, y: 1 }, left: 512, top: 512 },
    ])
  })

  it('keeps the tile count small for any size and never passes the overview', () => {
    expect(previewLevel(20000, 9000)).toBe(5)
    expect(previewTiles(20000, 9000, 5).tiles).toHaveLength(2)
    expect(previewLevel(300, 200)).toBe(0)
    expect(previewLevel(8000, 8000, 10)).toBe(4)
  })
})
