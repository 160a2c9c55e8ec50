import { describe, expect, it } from 'vitest'
import { modelChannels, toChannels, type PixelImage } from './data-source'

const img = (channels: number, hasAlpha?: boolean): PixelImage => ({
  width: 1, height: 1, channels, data: new Uint8Array(channels).map((_, i) => i + 1), hasAlpha,
})

describe('modelChannels', () => {
  it('drops a real alpha channel', () => {
    expect(modelChannels([img(4, true)])).toBe(3)
    expect(modelChannels([img(2, true)])).toBe(1)
  })

  it('keeps every band of multiband imagery', () => {
    expect(modelChannels([img(4, false), img(4, false)])).toBe(4)
    expect(modelChannels([img(2, false)])).toBe(2)
    expect(modelChannels([img(8, false)])).toBe(8)
  })

  it('guesses alpha from 2 and 4 channels when the decoder did not say', () => {
    expect(modelChannels([img(4)])).toBe(3)
    expect(modelChannels([img(3), img(3), img(1)])).toBe(3)
  })

  it('converts with every band kept or alpha dropped', () => {
    expect([...toChannels(img(4, false), 4)]).toEqual([1, 2, 3, 4])
    expect([...toChannels(img(4, true), 3)]).toEqual([1, 2, 3])
    expect([...toChannels(img(1), 3)]).toEqual([1, 1, 1])
  })
})
