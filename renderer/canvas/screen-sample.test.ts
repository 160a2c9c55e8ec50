import { describe, expect, it } from 'vitest'
import { renderTableRegion, sampleAxis } from './screen-sample'

describe('sampleAxis', () => {
  it('maps each device pixel centre through offset and scale, -1 outside the image', () => {
    expect([...sampleAxis(0, 6, 1, 2, 2)]).toEqual([-1, 0, 0, 1, 1, -1])
    expect([...sampleAxis(10, 3, 0, 0.5, 100)]).toEqual([21, 23, 25])
  })
})

describe('renderTableRegion', () => {
  it('colours every value through the table, 255 included, and leaves outside the map transparent', () => {
    const table = new Uint8ClampedArray(256 * 4)
    table.set([1, 2, 3, 4], 0)
    table.set([9, 8, 7, 6], 255 * 4)
    const map = { width: 2, height: 1, data: Uint8Array.from([0, 255]) }
    const rgba = renderTableRegion(map, table, { scale: 1, x: 0, y: 0 }, 1, { x: 0, y: 0, w: 3, h: 2 })
    expect([...rgba.subarray(0, 12)]).toEqual([1, 2, 3, 4, 9, 8, 7, 6, 0, 0, 0, 0])
    expect([...rgba.subarray(12)]).toEqual(new Array(12).fill(0))
  })
})
