import { describe, expect, it } from 'vitest'
import type { ClassDef } from '../../../core/contract'
import { CLASS_ALPHA, CONFIDENCE_ALPHA, classRgba, confidenceRgba, heat } from './prediction-overlay'

const classes: ClassDef[] = [
  { index: 0, name: 'ground', color: '#102030' },
  { index: 2, name: 'car', color: '#ff0080' },
]

describe('prediction overlay pixels', () => {
  it('colours predicted classes and leaves unkept and unknown indices transparent', () => {
    expect([...classRgba(Uint8Array.from([0, 2, 255, 1]), classes)]).toEqual([
      0x10, 0x20, 0x30, CLASS_ALPHA,
      0xff, 0x00, 0x80, CLASS_ALPHA,
      0, 0, 0, 0,
      0, 0, 0, 0,
    ])
  })

  it('ramps confidence from red through yellow to green', () => {
    expect(heat(0)).toEqual([230, 60, 50])
    expect(heat(255)).toEqual([60, 230, 50])
    const mid = heat(128)
    expect(mid[0]).toBeGreaterThan(200)
    expect(mid[1]).toBeGreaterThan(200)
    const rgba = confidenceRgba(Uint8Array.from([0, 255]))
    expect([...rgba]).toEqual([230, 60, 50, CONFIDENCE_ALPHA, 60, 230, 50, CONFIDENCE_ALPHA])
  })
})
