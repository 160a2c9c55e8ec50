import { describe, expect, it } from 'vitest'
import type { Input } from '../../../core/contract'
import { createTileSource, TILING_KEY, tilingMode } from './tile-source'

describe('tilingMode', () => {
  it('reads a forced mode and defaults to auto', () => {
    const store = (v: string | null) => ({ getItem: (k: string) => (k === TILING_KEY ? v : null) })
    expect(tilingMode(store('always'))).toBe('always')
    expect(tilingMode(store('never'))).toBe('never')
    expect(tilingMode(store(null))).toBe('auto')
    expect(tilingMode(store('sometimes'))).toBe('auto')
  })
})

describe('createTileSource', () => {
  it('asks images:tile for the tile and hands its decoded bytes and source region on', async () => {
    const calls: Array<{ method: string; input: unknown }> = []
    const client = {
      invoke: async (method: string, input: Input<'images:tile'>) => {
        calls.push({ method, input })
        return { imageId: input.id, level: input.level, x: input.x, y: input.y, width: 2, height: 1, source: [1024, 0, 8, 4], mime: 'image/webp', bytesBase64: btoa('\x01\x02\x03') }
      },
    }
    const decoded: Array<{ bytes: number[]; mime: string }> = []
    const fakeImage = { width: 2, height: 1 } as HTMLCanvasElement
    const source = createTileSource(client as never, 7, 8000, 6000, async (bytes, mime) => {
      decoded.push({ bytes: [...bytes], mime })
      return fakeImage
    })
    expect([source.width, source.height]).toEqual([8000, 6000])
    const tile = await source.load({ level: 2, x: 1, y: 0 })
    expect(calls).toEqual([{ method: 'images:tile', input: { id: 7, level: 2, x: 1, y: 0 } }])
    expect(decoded).toEqual([{ bytes: [1, 2, 3], mime: 'image/webp' }])
    expect(tile.image).toBe(fakeImage)
    expect(tile.source).toEqual([1024, 0, 8, 4])
  })
})
