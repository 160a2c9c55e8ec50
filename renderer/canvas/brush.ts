/**
 * Round brush geometry. A stroke between two pointer positions is rasterised as a capsule (the set of
 * pixels whose centre lies within the brush radius of the segment), so fast pointer moves leave no
 * gaps and the cost of one move is proportional to the pixels it covers.
 */
import { BBox, type Rect, type SpanSink } from './rect'

/** Smallest and largest brush diameter in image pixels. */
export const MIN_BRUSH_SIZE = 1
export const MAX_BRUSH_SIZE = 200

/** A point in image pixel coordinates (pixel (i, j) covers [i, i+1) × [j, j+1)). */
export interface Point {
  x: number
  y: number
}

/** Rounds and clamps a brush size to 1..200. */
export function clampBrushSize(size: number): number {
  if (!Number.isFinite(size)) return MIN_BRUSH_SIZE
  return Math.min(MAX_BRUSH_SIZE, Math.max(MIN_BRUSH_SIZE, Math.round(size)))
}

/**
 * Snaps a brush centre so a stamp is symmetric: odd sizes centre on a pixel centre, even sizes on a
 * pixel corner. A size-1 brush then paints exactly the pixel under the pointer.
 */
export function snapBrushCentre(p: Point, size: number): Point {
  const s = clampBrushSize(size)
  return s % 2 === 1 ? { x: Math.floor(p.x) + 0.5, y: Math.floor(p.y) + 0.5 } : { x: Math.round(p.x), y: Math.round(p.y) }
}

/**
 * Emits the pixels of a brush stroke from `a` to `b` (a single stamp when they are equal), clipped to
 * a width × height image. Both ends are snapped with {@link snapBrushCentre}. Returns the bounding box
 * of the emitted pixels, or null when the stroke lies outside the image.
 */
export function strokeSpans(a: Point, b: Point, size: number, width: number, height: number, sink: SpanSink): Rect | null {
  const s = clampBrushSize(size)
  const A = snapBrushCentre(a, s)
  const B = snapBrushCentre(b, s)
  const r = s / 2 + 1e-7
  const box = new BBox()
  const y0 = Math.max(0, Math.ceil(Math.min(A.y, B.y) - r - 0.5))
  const y1 = Math.min(height - 1, Math.floor(Math.max(A.y, B.y) + r - 0.5))
  const dx = B.x - A.x
  const dy = B.y - A.y
  const len2 = dx * dx + dy * dy
  const rLen = r * Math.sqrt(len2)
  for (let y = y0; y <= y1; y++) {
    const yc = y + 0.5
    let lo = Infinity
    let hi = -Infinity
    for (const c of [A, B]) {
      const d = yc - c.y
      if (d * d <= r * r) {
        const half = Math.sqrt(r * r - d * d)
        lo = Math.min(lo, c.x - half)
        hi = Math.max(hi, c.x + half)
      }
    }
    if (len2 > 0) {
      const band = segmentBand(A, dx, dy, len2, rLen, yc)
      if (band) {
        lo = Math.min(lo, band[0])
        hi = Math.max(hi, band[1])
      }
    }
    if (lo > hi) continue
    const x0 = Math.max(0, Math.ceil(lo - 0.5))
    const x1 = Math.min(width - 1, Math.floor(hi - 0.5))
    if (x0 > x1) continue
    sink(y, x0, x1)
    box.addSpan(y, x0, x1)
  }
  return box.rect()
}

/**
 * The x interval on row centre `yc` of the rectangle swept by the segment: points P with
 * 0 <= (P-A)·d <= |d|² (between the end caps) and |(P-A)×d| <= r·|d| (within r of the line).
 * Both constraints are linear in x, so each gives an interval; the result is their intersection.
 */
function segmentBand(A: Point, dx: number, dy: number, len2: number, rLen: number, yc: number): [number, number] | null {
  const ey = yc - A.y
  let lo = -Infinity
  let hi = Infinity
  if (dx !== 0) {
    const p = A.x - (ey * dy) / dx
    const q = A.x + (len2 - ey * dy) / dx
    lo = Math.max(lo, Math.min(p, q))
    hi = Math.min(hi, Math.max(p, q))
  } else if (ey * dy < 0 || ey * dy > len2) {
    return null
  }
  if (dy !== 0) {
    const p = A.x + (ey * dx - rLen) / dy
    const q = A.x + (ey * dx + rLen) / dy
    lo = Math.max(lo, Math.min(p, q))
    hi = Math.min(hi, Math.max(p, q))
  } else if (Math.abs(ey * dx) > rLen) {
    return null
  }
  return lo <= hi ? [lo, hi] : null
}
