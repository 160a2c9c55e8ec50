import { describe, expect, it } from 'vitest'
import { buildColorTable, MaskBuffer } from './mask-buffer'
import { imageRectToScreen, renderScreenRegion } from './screen-mask'

const table = buildColorTable([
  { index: 0, color: '#ff0000' },
  { index: 1, color: '#00ff00' },
])

/** The RGBA of device pixel (x, y) of a rendered w-wide region. */
function px(rgba: Uint8ClampedArray, w: number, x: number, y: number): number[] {
  const o = (y * w + x) * 4
  return Array.from(rgba.subarray(o, o + 4))
}

describe('imageRectToScreen', () => {
  it('maps an image rectangle through scale, offset and device ratio, covering partial pixels', () => {
    expect(imageRectToScreen({ x: 10, y: 20, w: 5, h: 5 }, { scale: 2, x: 3, y: -4 }, 1, 1000, 1000)).toEqual({ x: 23, y: 36, w: 10, h: 10 })
    expect(imageRectToScreen({ x: 10, y: 20, w: 5, h: 5 }, { scale: 2, x: 3, y: -4 }, 2, 1000, 1000)).toEqual({ x: 46, y: 72, w: 20, h: 20 })
    // Zoomed out: a 5-pixel rectangle covers a fraction of a screen pixel, rounded outwards.
    expect(imageRectToScreen({ x: 7, y: 0, w: 5, h: 1 }, { scale: 0.25, x: 0, y: 0 }, 1, 1000, 1000)).toEqual({ x: 1, y: 0, w: 2, h: 1 })
  })

  it('clips to the screen and gives null off screen', () => {
    expect(imageRectToScreen({ x: 0, y: 0, w: 100, h: 100 }, { scale: 1, x: -50, y: 0 }, 1, 30, 40)).toEqual({ x: 0, y: 0, w: 30, h: 40 })
    expect(imageRectToScreen({ x: 0, y: 0, w: 10, h: 10 }, { scale: 1, x: 500, y: 0 }, 1, 300, 300)).toBeNull()
  })
})

describe('renderScreenRegion', () => {
  it('samples the mask pixel under each device pixel centre, transparent outside and where unlabeled', () => {
    const mask = new MaskBuffer(4, 2)
    mask.data.set([0, 1, 255, 0, 1, 1, 1, 1])
    // Zoomed 3× and moved by (2, 1): image pixel (ix, iy) covers screen x 2+3ix..4+3ix.
    const view = { scale: 3, x: 2, y: 1 }
    const rgba = renderScreenRegion(mask, table, view, 1, { x: 0, y: 0, w: 16, h: 8 }, false)
    expect(px(rgba, 16, 0, 0)).toEqual([0, 0, 0, 0])
    expect(px(rgba, 16, 2, 1)).toEqual([255, 0, 0, 255])
    expect(px(rgba, 16, 4, 3)).toEqual([255, 0, 0, 255])
    expect(px(rgba, 16, 5, 3)).toEqual([0, 255, 0, 255])
    expect(px(rgba, 16, 8, 1)).toEqual([0, 0, 0, 0])
    expect(px(rgba, 16, 11, 3)).toEqual([255, 0, 0, 255])
    expect(px(rgba, 16, 14, 3)).toEqual([0, 0, 0, 0])
    expect(px(rgba, 16, 8, 4)).toEqual([0, 255, 0, 255])
    expect(px(rgba, 16, 8, 7)).toEqual([0, 0, 0, 0])
  })

  it('renders a sub-rectangle exactly as the same part of a full render', () => {
    const mask = new MaskBuffer(50, 40)
    for (let i = 0; i < mask.data.length; i++) mask.data[i] = i % 7 === 0 ? 255 : (i * 13) % 3 === 0 ? 1 : 0
    const view = { scale: 1.7, x: 5.5, y: -3.25 }
    const full = renderScreenRegion(mask, table, view, 1.5, { x: 0, y: 0, w: 90, h: 80 }, false)
    const part = renderScreenRegion(mask, table, view, 1.5, { x: 31, y: 17, w: 20, h: 9 }, false)
    for (let y = 0; y < 9; y++) {
      for (let x = 0; x < 20; x++) expect(px(part, 20, x, y)).toEqual(px(full, 90, x + 31, y + 17))
    }
  })

  it('draws only boundary pixels in outline mode', () => {
    const mask = new MaskBuffer(5, 5)
    mask.data.fill(0)
    mask.data[2 * 5 + 2] = 1
    const rgba = renderScreenRegion(mask, table, { scale: 1, x: 0, y: 0 }, 1, { x: 0, y: 0, w: 5, h: 5 }, true)
    expect(px(rgba, 5, 2, 2)).toEqual([0, 255, 0, 255])
    expect(px(rgba, 5, 2, 1)).toEqual([255, 0, 0, 255])
    expect(px(rgba, 5, 0, 0)).toEqual([0, 0, 0, 0])
    expect(px(rgba, 5, 4, 4)).toEqual([0, 0, 0, 0])
  })

  it('costs the screen area, not the image area: a huge mask zoomed out renders only the requested pixels', () => {
    const mask = new MaskBuffer(8192, 8192)
    mask.data.fill(1)
    const rgba = renderScreenRegion(mask, table, { scale: 0.05, x: 0, y: 0 }, 1, { x: 0, y: 0, w: 100, h: 100 }, false)
    expect(rgba.length).toBe(100 * 100 * 4)
    expect(px(rgba, 100, 99, 99)).toEqual([0, 255, 0, 255])
  })
})
