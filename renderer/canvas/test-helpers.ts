/**
 * Helpers shared by the canvas unit tests: a seeded random generator (tests stay reproducible) and
 * span collection into a pixel set.
 */
import type { SpanSink } from './rect'

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A width × height 0/1 grid filled by the spans it receives. */
export function spanGrid(width: number, height: number): { grid: Uint8Array; sink: SpanSink; spans: number } {
  const grid = new Uint8Array(width * height)
  const out = {
    grid,
    spans: 0,
    sink: (y: number, x0: number, x1: number): void => {
      out.spans++
      grid.fill(1, y * width + x0, y * width + x1 + 1)
    },
  }
  return out
}

/** Number of set cells. */
export function countSet(grid: Uint8Array): number {
  let n = 0
  for (const v of grid) n += v ? 1 : 0
  return n
}

/** True when the set cells form one connected component (4- or 8-connectivity). */
export function isConnected(grid: Uint8Array, width: number, height: number, eight: boolean): boolean {
  const start = grid.indexOf(1)
  if (start < 0) return true
  const seen = new Uint8Array(grid.length)
  const stack = [start]
  seen[start] = 1
  let reached = 0
  const offsets = eight
    ? [[-1, 0], [1, 0], [0, -1], [0, 1], [-1, -1], [1, -1], [-1, 1], [1, 1]]
    : [[-1, 0], [1, 0], [0, -1], [0, 1]]
  while (stack.length > 0) {
    const i = stack.pop() as number
    reached++
    const x = i % width
    const y = (i - x) / width
    for (const [dx, dy] of offsets) {
      const nx = x + dx
      const ny = y + dy
      if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue
      const j = ny * width + nx
      if (grid[j] && !seen[j]) {
        seen[j] = 1
        stack.push(j)
      }
    }
  }
  return reached === countSet(grid)
}

/** Byte-wise equality; far faster than a deep equal on large typed arrays. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
