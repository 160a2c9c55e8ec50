/**
 * A tiny float RGB raster with a class label per pixel: enough drawing for the sample generator's
 * aerial tiles, with no dependency on a canvas library.
 */
import type { Rng } from './prng'

export type Rgb = readonly [number, number, number]

/** Square RGB image (floats 0..255) plus one class index per pixel. */
export class Raster {
  readonly rgb: Float32Array
  readonly labels: Uint8Array

  constructor(readonly size: number) {
    this.rgb = new Float32Array(size * size * 3)
    this.labels = new Uint8Array(size * size)
  }

  /** Sets pixel `i` (row-major index) to `colour` scaled by `shade`, and its label. */
  paint(i: number, colour: Rgb, shade: number, label: number): void {
    this.rgb[i * 3] = colour[0] * shade
    this.rgb[i * 3 + 1] = colour[1] * shade
    this.rgb[i * 3 + 2] = colour[2] * shade
    this.labels[i] = label
  }

  /** Multiplies the colour of pixel `i` by `factor` (shadows), keeping its label. */
  darken(i: number, factor: number): void {
    this.rgb[i * 3] *= factor
    this.rgb[i * 3 + 1] *= factor
    this.rgb[i * 3 + 2] *= factor
  }

  /** 8-bit RGB bytes, with a global brightness and per-pixel sensor noise of ±`noise`. */
  toBytes(rng: Rng, brightness: number, noise: number): Uint8Array {
    const out = new Uint8Array(this.rgb.length)
    for (let i = 0; i < this.rgb.length; i++) {
      const v = this.rgb[i] * brightness + (rng.next() * 2 - 1) * noise
      out[i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v)
    }
    return out
  }
}

/**
 * Smooth value noise in [0, 1]: random values on a grid of `cell`-pixel cells, blended with a
 * smoothstep so the texture has no visible grid.
 */
export function valueNoise(rng: Rng, size: number, cell: number): Float32Array {
  const cells = Math.ceil(size / cell) + 2
  const grid = new Float32Array(cells * cells)
  for (let i = 0; i < grid.length; i++) grid[i] = rng.next()
  const out = new Float32Array(size * size)
  for (let y = 0; y < size; y++) {
    const gy = y / cell
    const y0 = Math.floor(gy)
    const ty = gy - y0
    const sy = ty * ty * (3 - 2 * ty)
    for (let x = 0; x < size; x++) {
      const gx = x / cell
      const x0 = Math.floor(gx)
      const tx = gx - x0
      const sx = tx * tx * (3 - 2 * tx)
      const a = grid[y0 * cells + x0]
      const b = grid[y0 * cells + x0 + 1]
      const c = grid[(y0 + 1) * cells + x0]
      const d = grid[(y0 + 1) * cells + x0 + 1]
      out[y * size + x] = (a + (b - a) * sx) * (1 - sy) + (c + (d - c) * sx) * sy
    }
  }
  return out
}

/** A point along a polyline with its unit direction. */
export interface PathPoint {
  x: number
  y: number
  dx: number
  dy: number
}

/** Points of a quadratic Bézier from p0 through control c to p1 (a straight line when c is the midpoint). */
export function bezier(p0: [number, number], c: [number, number], p1: [number, number], steps: number): PathPoint[] {
  const pts: PathPoint[] = []
  for (let s = 0; s <= steps; s++) {
    const t = s / steps
    const u = 1 - t
    const x = u * u * p0[0] + 2 * u * t * c[0] + t * t * p1[0]
    const y = u * u * p0[1] + 2 * u * t * c[1] + t * t * p1[1]
    const dx = 2 * u * (c[0] - p0[0]) + 2 * t * (p1[0] - c[0])
    const dy = 2 * u * (c[1] - p0[1]) + 2 * t * (p1[1] - c[1])
    const len = Math.hypot(dx, dy) || 1
    pts.push({ x, y, dx: dx / len, dy: dy / len })
  }
  return pts
}

/** Distance from every pixel to a polyline, computed only within `reach` of it (Infinity elsewhere). */
export function distanceToPath(size: number, path: readonly PathPoint[], reach: number): Float32Array {
  const dist = new Float32Array(size * size).fill(Infinity)
  for (let s = 0; s + 1 < path.length; s++) {
    const a = path[s]
    const b = path[s + 1]
    const ex = b.x - a.x
    const ey = b.y - a.y
    const len2 = ex * ex + ey * ey || 1
    const x0 = Math.max(0, Math.floor(Math.min(a.x, b.x) - reach))
    const x1 = Math.min(size - 1, Math.ceil(Math.max(a.x, b.x) + reach))
    const y0 = Math.max(0, Math.floor(Math.min(a.y, b.y) - reach))
    const y1 = Math.min(size - 1, Math.ceil(Math.max(a.y, b.y) + reach))
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const t = Math.max(0, Math.min(1, ((x - a.x) * ex + (y - a.y) * ey) / len2))
        const d = Math.hypot(x - (a.x + t * ex), y - (a.y + t * ey))
        const i = y * size + x
        if (d < dist[i]) dist[i] = d
      }
    }
  }
  return dist
}
