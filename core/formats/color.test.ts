import { decode } from 'fast-png'
import { describe, expect, it } from 'vitest'
import type { ClassDef } from '../contract'
import { colorizeMask, encodeColorMaskPng, legendSvg } from './color'

const classes: ClassDef[] = [
  { index: 0, name: 'soil', color: '#8b4513' },
  { index: 1, name: 'A & <B>', color: '#00ff7f' },
]

describe('colour masks', () => {
  it('paints classes in their colours and leaves unlabeled transparent', () => {
    expect(Array.from(colorizeMask(Uint8Array.from([0, 1, 255]), classes))).toEqual([0x8b, 0x45, 0x13, 255, 0, 255, 0x7f, 255, 0, 0, 0, 0])
    const png = decode(encodeColorMaskPng(Uint8Array.from([1, 0]), 2, 1, classes))
    expect([png.width, png.height, png.channels]).toEqual([2, 1, 4])
    expect(Array.from(png.data)).toEqual([0, 255, 0x7f, 255, 0x8b, 0x45, 0x13, 255])
  })

  it('the legend lists every class, escaped, and unlabeled', () => {
    const svg = legendSvg(classes, 'My project')
    expect(svg).toContain('fill="#8b4513"')
    expect(svg).toContain('1  A &#38; &#60;B&#62;')
    expect(svg).toContain('255  unlabeled')
    expect(svg).toContain('My project')
  })
})
