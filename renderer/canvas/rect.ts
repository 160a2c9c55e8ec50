/**
 * Axis-aligned integer rectangles in mask pixel coordinates. Every editor operation reports the
 * rectangle it touched so that redraw, history and statistics cost grows with that rectangle,
 * never with the whole image.
 */

/** A rectangle of whole pixels: columns x..x+w-1, rows y..y+h-1. Empty when w or h is 0. */
export interface Rect {
  x: number
  y: number
  w: number
  h: number
}

/** Receives one horizontal run of pixels on row `y`, columns `x0..x1` inclusive. */
export type SpanSink = (y: number, x0: number, x1: number) => void

/** True when the rectangle covers no pixel. */
export function rectIsEmpty(r: Rect): boolean {
  return r.w <= 0 || r.h <= 0
}

/** Number of pixels in the rectangle. */
export function rectArea(r: Rect): number {
  return rectIsEmpty(r) ? 0 : r.w * r.h
}

/** Smallest rectangle holding both. */
export function rectUnion(a: Rect, b: Rect): Rect {
  if (rectIsEmpty(a)) return { ...b }
  if (rectIsEmpty(b)) return { ...a }
  const x = Math.min(a.x, b.x)
  const y = Math.min(a.y, b.y)
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y }
}

/** Overlap of two rectangles, or null when they share no pixel. */
export function rectIntersect(a: Rect, b: Rect): Rect | null {
  const x = Math.max(a.x, b.x)
  const y = Math.max(a.y, b.y)
  const w = Math.min(a.x + a.w, b.x + b.w) - x
  const h = Math.min(a.y + a.h, b.y + b.h) - y
  return w > 0 && h > 0 ? { x, y, w, h } : null
}

/** True when the rectangles overlap or share an edge (so merging them wastes no area between them). */
export function rectsTouch(a: Rect, b: Rect): boolean {
  return a.x <= b.x + b.w && b.x <= a.x + a.w && a.y <= b.y + b.h && b.y <= a.y + a.h
}

/** The part of `r` inside a width × height image, or null when nothing is inside. */
export function clipRect(r: Rect, width: number, height: number): Rect | null {
  return rectIntersect(r, { x: 0, y: 0, w: width, h: height })
}

/** Grows the rectangle by `n` pixels on every side (outline rendering needs the 4-neighbours). */
export function expandRect(r: Rect, n: number): Rect {
  return { x: r.x - n, y: r.y - n, w: r.w + 2 * n, h: r.h + 2 * n }
}

/** Tracks the bounding box of spans as they are emitted. */
export class BBox {
  private x0 = Infinity
  private y0 = Infinity
  private x1 = -Infinity
  private y1 = -Infinity

  /** Adds row `y`, columns `xa..xb` inclusive. */
  addSpan(y: number, xa: number, xb: number): void {
    if (xa < this.x0) this.x0 = xa
    if (xb > this.x1) this.x1 = xb
    if (y < this.y0) this.y0 = y
    if (y > this.y1) this.y1 = y
  }

  /** The box so far, or null when nothing was added. */
  rect(): Rect | null {
    if (this.x1 < this.x0) return null
    return { x: this.x0, y: this.y0, w: this.x1 - this.x0 + 1, h: this.y1 - this.y0 + 1 }
  }
}
