/**
 * Nearest-neighbour sampling of an 8-bit map (class indices, confidence levels) through a view
 * transform, for overlays drawn in screen space: each device pixel takes the value under its centre, so
 * the cost follows the screen area drawn, never the map's size. Shared by the mask overlay and the
 * prediction overlays; pure, so it is tested without a canvas.
 */
import type { ColorTable } from './mask-buffer'
import type { Rect } from './rect'
import type { View } from './viewport'

/** A width × height map of one byte per pixel. */
export interface ByteMap {
  readonly width: number
  readonly height: number
  readonly data: Uint8Array
}

/** Image coordinate sampled by each device pixel from `start` (length `n`), or -1 outside 0..size-1. */
export function sampleAxis(start: number, n: number, offset: number, k: number, size: number): Int32Array {
  const out = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const v = Math.floor((start + i + 0.5 - offset) / k)
    out[i] = v >= 0 && v < size ? v : -1
  }
  return out
}

/**
 * RGBA of device rectangle `sr`: each device pixel takes `table`'s colour (4 bytes per value, alpha
 * included) of the map value under its centre; transparent outside the map.
 */
export function renderTableRegion(map: ByteMap, table: ColorTable, view: View, ratio: number, sr: Rect): Uint8ClampedArray<ArrayBuffer> {
  const k = view.scale * ratio
  const xs = sampleAxis(sr.x, sr.w, view.x * ratio, k, map.width)
  const ys = sampleAxis(sr.y, sr.h, view.y * ratio, k, map.height)
  const lut = new Uint32Array(table.buffer, table.byteOffset, 256)
  const out = new Uint8ClampedArray(sr.w * sr.h * 4)
  const out32 = new Uint32Array(out.buffer)
  const { data, width } = map
  for (let row = 0; row < sr.h; row++) {
    const y = ys[row]
    if (y < 0) continue
    const base = y * width
    let dst = row * sr.w
    for (let col = 0; col < sr.w; col++, dst++) {
      const x = xs[col]
      if (x >= 0) out32[dst] = lut[data[base + x]]
    }
  }
  return out
}
