import { describe, expect, it } from 'vitest'
import { heatColor, heatTable, hexToRgb, maskTable, pct, shiftText } from './overlay'

describe('review overlays', () => {
  it('colours classes and leaves unlabeled pixels transparent', () => {
    const table = maskTable(['#ff0000', '#00ff80'], 100)
    expect(Array.from(table.subarray(0, 12))).toEqual([255, 0, 0, 100, 0, 255, 128, 100, 0, 0, 0, 0])
    expect(Array.from(table.subarray(255 * 4))).toEqual([0, 0, 0, 0])
    expect(Array.from(maskTable(Array.from({ length: 256 }, () => '#ffffff')).subarray(255 * 4))).toEqual([0, 0, 0, 0])
    expect(hexToRgb('#102030')).toEqual([16, 32, 48])
  })

  it('maps confidence from red through yellow to green, opaque', () => {
    expect(heatColor(0)).toEqual([214, 48, 49])
    expect(heatColor(255)).toEqual([52, 178, 110])
    expect(heatColor(127.5)).toEqual([240, 196, 64])
    const table = heatTable()
    expect(Array.from(table.subarray(0, 4))).toEqual([214, 48, 49, 255])
    expect(Array.from(table.subarray(255 * 4))).toEqual([52, 178, 110, 255])
  })

  it('formats shares and shifts', () => {
    expect(pct(0.1234)).toBe('12.3 %')
    expect(pct(null)).toBe('—')
    expect(shiftText(0.1, 0.125)).toBe('+2.5 pp')
    expect(shiftText(0.2, 0.1)).toBe('−10.0 pp')
    expect(shiftText(0.2, 0.2001)).toBe('±0')
  })
})
