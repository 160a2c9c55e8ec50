import { describe, expect, it } from 'vitest'
import { AppError } from '../../core/contract'
import { buildColorTable, DirtyRegion, MaskBuffer, renderRegion } from './mask-buffer'
import { rectArea } from './rect'

describe('DirtyRegion', () => {
  it('merges overlapping and adjacent rectangles and keeps distant ones apart', () => {
    const d = new DirtyRegion(1000, 1000)
    d.add({ x: 0, y: 0, w: 10, h: 10 })
    d.add({ x: 5, y: 5, w: 10, h: 10 })
    d.add({ x: 15, y: 0, w: 5, h: 5 })
    d.add({ x: 900, y: 900, w: 10, h: 10 })
    expect(d.take()).toEqual([
      { x: 0, y: 0, w: 20, h: 15 },
      { x: 900, y: 900, w: 10, h: 10 },
    ])
    expect(d.isEmpty()).toBe(true)
  })

  it('clips to the image and ignores rectangles outside it', () => {
    const d = new DirtyRegion(100, 50)
    d.add({ x: -10, y: 40, w: 30, h: 30 })
    d.add({ x: 200, y: 0, w: 5, h: 5 })
    expect(d.take()).toEqual([{ x: 0, y: 40, w: 20, h: 10 }])
  })

  it('keeps at most 8 rectangles, merging the pair that wastes least area', () => {
    const d = new DirtyRegion(10000, 10000)
    for (let i = 0; i < 12; i++) d.add({ x: i * 800, y: 0, w: 4, h: 4 })
    const rects = d.peek()
    expect(rects.length).toBeLessThanOrEqual(8)
    // Every marked pixel is still covered, and far less than the full-width union is redrawn.
    for (let i = 0; i < 12; i++) expect(rects.some((r) => r.x <= i * 800 && r.x + r.w >= i * 800 + 4)).toBe(true)
    expect(rects.reduce((s, r) => s + rectArea(r), 0)).toBeLessThan(10000 * 4 / 2)
  })

  it('marks everything with addAll', () => {
    const d = new DirtyRegion(30, 20)
    d.add({ x: 1, y: 1, w: 1, h: 1 })
    d.addAll()
    expect(d.take()).toEqual([{ x: 0, y: 0, w: 30, h: 20 }])
  })
})

describe('MaskBuffer', () => {
  it('starts unlabeled, reads and writes rectangles and marks them dirty', () => {
    const m = new MaskBuffer(8, 6)
    expect(m.data.every((v) => v === 255)).toBe(true)
    m.writeRect({ x: 2, y: 1, w: 3, h: 2 }, Uint8Array.from([1, 2, 3, 4, 5, 6]))
    expect(m.get(2, 1)).toBe(1)
    expect(m.get(4, 2)).toBe(6)
    expect(m.get(-1, 0)).toBe(255)
    expect(Array.from(m.readRect({ x: 3, y: 1, w: 2, h: 2 }))).toEqual([2, 3, 5, 6])
    expect(m.dirty.take()).toEqual([{ x: 2, y: 1, w: 3, h: 2 }])
  })

  it('rejects data of the wrong size with MASK_SIZE', () => {
    expect(() => new MaskBuffer(4, 4, new Uint8Array(15))).toThrow(AppError)
    const m = new MaskBuffer(4, 4)
    expect(() => m.replace(new Uint8Array(17))).toThrow(/needs 16/)
  })
})

describe('renderRegion', () => {
  const table = buildColorTable([
    { index: 0, color: '#ff0000' },
    { index: 1, color: '#00ff80' },
  ])

  it('colours a region by class with the opacity as alpha; unlabeled stays transparent', () => {
    const m = new MaskBuffer(4, 2, Uint8Array.from([0, 1, 255, 0, 1, 1, 0, 255]))
    const out = renderRegion(m, { x: 1, y: 0, w: 2, h: 2 }, table, { opacity: 0.5 })
    expect([out.width, out.height]).toEqual([2, 2])
    expect(Array.from(out.data)).toEqual([0, 255, 128, 128, 0, 0, 0, 0, 0, 255, 128, 128, 255, 0, 0, 128])
  })

  it('draws only pixels with a differing 4-neighbour in outline mode', () => {
    const w = 7
    const data = new Uint8Array(w * 7).fill(255)
    for (let y = 1; y <= 5; y++) data.fill(0, y * w + 1, y * w + 6)
    const m = new MaskBuffer(w, 7, data)
    const out = renderRegion(m, { x: 0, y: 0, w, h: 7 }, table, { outline: true })
    const drawn: string[] = []
    for (let y = 0; y < 7; y++) {
      let row = ''
      for (let x = 0; x < w; x++) row += out.data[(y * w + x) * 4 + 3] ? '#' : '.'
      drawn.push(row)
    }
    expect(drawn).toEqual(['.......', '.#####.', '.#...#.', '.#...#.', '.#...#.', '.#####.', '.......'])
  })

  it('does not outline the image border', () => {
    const m = new MaskBuffer(3, 3, new Uint8Array(9).fill(1))
    const out = renderRegion(m, { x: 0, y: 0, w: 3, h: 3 }, table, { outline: true })
    expect(out.data.every((v) => v === 0)).toBe(true)
  })

  it('rejects a malformed colour', () => {
    expect(() => buildColorTable([{ index: 0, color: 'red' }])).toThrow(/#rrggbb/)
  })
})
