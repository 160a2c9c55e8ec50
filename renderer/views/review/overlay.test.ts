import { describe, expect, it } from 'vitest'
import { confidenceToRgba, heatColor, hexToRgb, maskToRgba, pct, shiftText } from './overlay'

describe('review overlays', () => {
  it('colours classes and leaves unlabeled pixels transparent', () => {
    const rgba = maskToRgba(Uint8Array.from([0, 1, 255, 9]), ['#ff0000', '#00ff80'], 100)
    expect(Array.from(rgba)).toEqual([255, 0, 0, 100, 0, 255, 128, 100, 0, 0, 0, 0, 0, 0, 0, 0])
    expect(hexToRgb('#102030')).toEqual([16, 32, 48])
  })

  it('maps confidence from red through yellow to green, opaque', () => {
    expect(heatColor(0)).toEqual([214, 48, 49])
    expect(heatColor(255)).toEqual([52, 178, 110])
    expect(heatColor(127.5)).toEqual([240, 196, 64])
    const rgba = confidenceToRgba(Uint8Array.from([0, 255]))
    expect(rgba[3]).toBe(255)
    expect(Array.from(rgba.subarray(4, 7))).toEqual([52, 178, 110])
  })

  it('formats shares and shifts', () => {
    expect(pct(0.1234)).toBe('12.3 %')
    expect(pct(null)).toBe('—')
    expect(shiftText(0.1, 0.125)).toBe('+2.5 pp')
    expect(shiftText(0.2, 0.1)).toBe('−10.0 pp')
    expect(shiftText(0.2, 0.2001)).toBe('±0')
  })
})
