import { encode } from 'fast-png'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../core/contract'
import { base64ToBytes, bytesToBase64, decodeMaskPng, encodeMaskPng, maskFromDto, maskToBase64Png } from './mask-codec'
import { bytesEqual, seeded } from './test-helpers'

describe('mask codec', () => {
  it('round-trips every index 0..255 including 255 (unlabeled) through PNG bytes', () => {
    const data = Uint8Array.from({ length: 256 * 3 }, (_, i) => i % 256)
    const png = encodeMaskPng(data, 64, 12)
    expect(Array.from(png.subarray(1, 4))).toEqual([80, 78, 71])
    const back = decodeMaskPng(png)
    expect([back.width, back.height]).toEqual([64, 12])
    expect(bytesEqual(back.data, data)).toBe(true)
  })

  it('round-trips a large random mask through base64 as masks:save / masks:get carry it', () => {
    const rand = seeded(1)
    const w = 1031
    const h = 517
    const data = Uint8Array.from({ length: w * h }, () => (rand() < 0.5 ? 255 : Math.floor(rand() * 5)))
    const pngBase64 = maskToBase64Png(data, w, h)
    expect(pngBase64).toMatch(/^[A-Za-z0-9+/]+=*$/)
    expect(bytesEqual(maskFromDto({ imageId: 1, width: w, height: h, pngBase64 }), data)).toBe(true)
  })

  it('gives an all-unlabeled mask when the image has none yet', () => {
    const m = maskFromDto({ imageId: 3, width: 4, height: 2, pngBase64: null })
    expect(Array.from(m)).toEqual([255, 255, 255, 255, 255, 255, 255, 255])
  })

  it('reads grey masks of 8 and fewer bits', () => {
    const grey = encode({ width: 3, height: 1, data: Uint8Array.from([0, 7, 255]), channels: 1, depth: 8 })
    expect(Array.from(decodeMaskPng(grey).data)).toEqual([0, 7, 255])
    const packed = encode({ width: 5, height: 2, data: Uint8Array.from([0b00011011, 0b00000000, 0b11100100, 0b01000000]), channels: 1, depth: 2 })
    expect(Array.from(decodeMaskPng(packed).data)).toEqual([0, 1, 2, 3, 0, 3, 2, 1, 0, 1])
  })

  it('rejects RGB masks, garbage and size mismatches with named errors', () => {
    const rgb = encode({ width: 1, height: 1, data: Uint8Array.from([1, 2, 3]), channels: 3, depth: 8 })
    expect(() => decodeMaskPng(rgb, 'a.png')).toThrow(/a\.png has 3 channel/)
    expect(() => decodeMaskPng(Uint8Array.from([1, 2, 3]), 'b.png')).toThrow(AppError)
    const pngBase64 = maskToBase64Png(new Uint8Array(6), 3, 2)
    expect(() => maskFromDto({ imageId: 9, width: 2, height: 3, pngBase64 })).toThrow(/image 9 is 3×2, the image is 2×3/)
    expect(() => encodeMaskPng(new Uint8Array(5), 2, 2)).toThrow(/needs 4/)
  })

  it('converts base64 both ways for arbitrary bytes', () => {
    const bytes = Uint8Array.from({ length: 100_001 }, (_, i) => (i * 31) % 256)
    expect(bytesEqual(base64ToBytes(bytesToBase64(bytes)), bytes)).toBe(true)
    expect(bytesToBase64(Uint8Array.from([104, 105]))).toBe('aGk=')
  })
})
