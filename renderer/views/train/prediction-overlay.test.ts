import { describe, expect, it } from 'vitest'
import type { ClassDef } from '../../../core/contract'
import { CLASS_ALPHA, CONFIDENCE_ALPHA, classTable, confidenceTable, heat, heatLegendGradient, predictionFrame, predictionNote } from './prediction-overlay'

const classes: ClassDef[] = [
  { index: 0, name: 'ground', color: '#102030' },
  { index: 2, name: 'car', color: '#ff0080' },
]

/** The RGBA of pixel (x, y) of a w-wide RGBA array. */
function px(rgba: Uint8ClampedArray, w: number, x: number, y: number): number[] {
  const o = (y * w + x) * 4
  return Array.from(rgba.subarray(o, o + 4))
}

describe('prediction overlay colours', () => {
  it('colours predicted classes and leaves unkept and unknown indices transparent', () => {
    const t = classTable(classes)
    expect(px(t, 256, 0, 0)).toEqual([0x10, 0x20, 0x30, CLASS_ALPHA])
    expect(px(t, 256, 2, 0)).toEqual([0xff, 0x00, 0x80, CLASS_ALPHA])
    expect(px(t, 256, 1, 0)).toEqual([0, 0, 0, 0])
    expect(px(t, 256, 255, 0)).toEqual([0, 0, 0, 0])
  })

  it('ramps confidence from red through yellow to green', () => {
    expect(heat(0)).toEqual([230, 60, 50])
    expect(heat(255)).toEqual([60, 230, 50])
    const mid = heat(128)
    expect(mid[0]).toBeGreaterThan(200)
    expect(mid[1]).toBeGreaterThan(200)
    const t = confidenceTable()
    expect(px(t, 256, 0, 0)).toEqual([230, 60, 50, CONFIDENCE_ALPHA])
    expect(px(t, 256, 255, 0)).toEqual([60, 230, 50, CONFIDENCE_ALPHA])
  })
})

describe('predictionFrame', () => {
  it('at 1:1 with no offset shows every prediction pixel as its colour, as the image-sized canvas did', () => {
    const map = { width: 3, height: 2, data: Uint8Array.from([0, 2, 255, 1, 0, 2]) }
    const f = predictionFrame(map, classTable(classes), { scale: 1, x: 0, y: 0 }, 1, 100, 100)
    expect(f?.rect).toEqual({ x: 0, y: 0, w: 3, h: 2 })
    const rgba = f?.rgba ?? new Uint8ClampedArray()
    expect(px(rgba, 3, 0, 0)).toEqual([0x10, 0x20, 0x30, CLASS_ALPHA])
    expect(px(rgba, 3, 1, 0)).toEqual([0xff, 0x00, 0x80, CLASS_ALPHA])
    expect(px(rgba, 3, 2, 0)).toEqual([0, 0, 0, 0])
    expect(px(rgba, 3, 0, 1)).toEqual([0, 0, 0, 0])
    expect(px(rgba, 3, 2, 1)).toEqual([0xff, 0x00, 0x80, CLASS_ALPHA])
  })

  it('zoomed in, panned and at a device ratio of 2, each image pixel becomes a block of device pixels', () => {
    const map = { width: 2, height: 1, data: Uint8Array.from([0, 255]) }
    const f = predictionFrame(map, confidenceTable(), { scale: 2, x: 5, y: 1 }, 2, 100, 100)
    // Image x 0..2 → CSS 5..9 → device 10..18; y 0..1 → CSS 1..3 → device 2..6.
    expect(f?.rect).toEqual({ x: 10, y: 2, w: 8, h: 4 })
    const rgba = f?.rgba ?? new Uint8ClampedArray()
    for (let y = 0; y < 4; y++) {
      for (let x = 0; x < 8; x++) expect(px(rgba, 8, x, y)).toEqual(x < 4 ? [230, 60, 50, CONFIDENCE_ALPHA] : [60, 230, 50, CONFIDENCE_ALPHA])
    }
  })

  it('renders only the visible part of a huge prediction at screen size, and nothing when it is off screen', () => {
    const side = 8000
    const data = new Uint8Array(side * side)
    data.fill(2, side * 4000)
    const map = { width: side, height: side, data }
    const table = classTable(classes)
    const f = predictionFrame(map, table, { scale: 0.1, x: 20, y: -100 }, 1, 400, 300)
    expect(f?.rect).toEqual({ x: 20, y: 0, w: 380, h: 300 })
    expect(f?.rgba.length).toBe(380 * 300 * 4)
    // Screen row 299 samples image row floor((299.5 + 100) / 0.1) = 3995 (class 0); row 300 would be 4005.
    expect(px(f?.rgba ?? new Uint8ClampedArray(), 380, 0, 299)).toEqual([0x10, 0x20, 0x30, CLASS_ALPHA])
    const lower = predictionFrame(map, table, { scale: 0.1, x: 20, y: -500 }, 1, 400, 300)
    expect(px(lower?.rgba ?? new Uint8ClampedArray(), 380, 0, 0)).toEqual([0xff, 0x00, 0x80, CLASS_ALPHA])
    expect(predictionFrame(map, table, { scale: 0.1, x: 500, y: 0 }, 1, 400, 300)).toBeNull()
  })
})

describe('predictionNote', () => {
  it('names the run and round and the mean confidence when there is one', () => {
    expect(predictionNote({ runId: 3, roundId: 7, meanConfidence: 0.8123 })).toBe('run #3 · round 7 · mean confidence 0.81')
    expect(predictionNote({ runId: 3, roundId: 7, meanConfidence: null })).toBe('run #3 · round 7')
    expect(predictionNote(null)).toMatch(/has not predicted this image/)
  })

  it('draws the confidence legend with the heatmap\'s own colours, unsure red to sure green', () => {
    const g = heatLegendGradient()
    expect(g.startsWith('linear-gradient(90deg, ')).toBe(true)
    expect(g).toContain(`rgb(${heat(0).join(', ')})`)
    expect(g).toContain(`rgb(${heat(255).join(', ')})`)
    expect(heat(0)[0]).toBeGreaterThan(heat(0)[1])
    expect(heat(255)[1]).toBeGreaterThan(heat(255)[0])
  })
})
