import { describe, expect, it } from 'vitest'
import { pngWithSize, tiffWithSize } from '../../bench/reliability/fuzz/mutate'
import { imageSeeds, maskSeeds } from '../../bench/reliability/fuzz/seeds'
import { decodeImage, decodeMaskPng } from './index'
import { MAX_DECODE_PIXELS } from './limits'

const seed = async (name: string): Promise<Buffer> => {
  const s = (await imageSeeds()).find((x) => x.name === name)
  if (!s) throw new Error(name)
  return s.bytes
}

describe('image bombs and declared sizes beyond the memory budget', () => {
  it('refuses a multiband GeoTIFF declaring 65535² pixels with a named error (it used to reach sharp and fail unnamed)', async () => {
    const bomb = tiffWithSize(await seed('bands4x16.tif'), 65535, 65535)
    await expect(decodeImage(bomb, 'bomb.tif')).rejects.toMatchObject({ code: 'DECODE_FAILED', message: expect.stringMatching(/^bomb\.tif: the header declares 65535×65535 pixels, more than LabelLoop decodes in memory/) })
  })

  it('refuses a GeoTIFF whose declared size its pixel data does not fill', async () => {
    const lying = tiffWithSize(await seed('bands6x8.tif'), 300, 300)
    await expect(decodeImage(lying, 'short.tif')).rejects.toMatchObject({ code: 'DECODE_FAILED', message: expect.stringContaining('short.tif: ') })
  })

  it('refuses a PNG declaring 46341² pixels (sharp\'s limit) with a named error', async () => {
    const bomb = pngWithSize(await seed('rgb.png'), 46341, 46341)
    await expect(decodeImage(bomb, 'bomb.png')).rejects.toMatchObject({ code: 'DECODE_FAILED', message: expect.stringMatching(/^bomb\.png: the header declares 46341×46341 pixels, more than LabelLoop decodes in memory/) })
  })

  it('refuses a mask PNG declaring 2^31 pixels before decoding it (fast-png used to spend a minute on it)', () => {
    const mask = maskSeeds()[0].bytes
    expect(() => decodeMaskPng(pngWithSize(mask, 0x7fffffff, 1), 'bomb-mask.png')).toThrow(/^bomb-mask\.png: the header declares 2147483647×1 pixels/)
    expect(() => decodeMaskPng(pngWithSize(mask, 0, 16), 'empty-mask.png')).toThrow(/^empty-mask\.png: the header declares an empty image/)
    expect(MAX_DECODE_PIXELS).toBe(16383 * 16383)
  })

  it('still decodes every seed file', async () => {
    for (const s of await imageSeeds()) expect((await decodeImage(s.bytes, s.name)).width).toBe(24)
    for (const s of maskSeeds()) expect(decodeMaskPng(s.bytes, s.name).width).toBe(24)
  })
})
