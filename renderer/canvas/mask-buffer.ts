/**
 * The offscreen mask: one byte per pixel holding a class index (255 = unlabeled), a tracker of the
 * regions changed since the last redraw, and the conversion of such a region to RGBA pixels. The
 * editor paints here and redraws only what the tracker reports, so a pointer move costs the same on
 * a 512² tile and on a 16k² satellite scene.
 */
import { AppError, UNLABELED } from '../../core/contract'
import { readBytes, writeBytes } from './patch'
import { clipRect, rectArea, rectsTouch, rectUnion, type Rect } from './rect'

/** The most separate rectangles kept before the cheapest pair is merged. */
const MAX_DIRTY_RECTS = 8

/**
 * The set of rectangles changed since the last {@link DirtyRegion.take}. Overlapping or adjacent
 * rectangles are merged; beyond a few, the pair whose union adds the least area is merged, so two
 * strokes at opposite corners do not turn into a full-image redraw.
 */
export class DirtyRegion {
  private rects: Rect[] = []

  constructor(
    private readonly width: number,
    private readonly height: number,
  ) {}

  /** Marks a rectangle (clipped to the image) as changed. */
  add(r: Rect): void {
    let cur = clipRect(r, this.width, this.height)
    if (!cur) return
    for (let i = 0; i < this.rects.length; ) {
      if (rectsTouch(this.rects[i], cur)) {
        cur = rectUnion(this.rects[i], cur)
        this.rects.splice(i, 1)
        i = 0
      } else {
        i++
      }
    }
    this.rects.push(cur)
    while (this.rects.length > MAX_DIRTY_RECTS) this.mergeCheapestPair()
  }

  /** Marks the whole image. */
  addAll(): void {
    this.rects = [{ x: 0, y: 0, w: this.width, h: this.height }]
  }

  /** True when nothing changed since the last take. */
  isEmpty(): boolean {
    return this.rects.length === 0
  }

  /** The changed rectangles so far, without clearing them. */
  peek(): readonly Rect[] {
    return this.rects
  }

  /** Returns the changed rectangles and forgets them. */
  take(): Rect[] {
    const out = this.rects
    this.rects = []
    return out
  }

  private mergeCheapestPair(): void {
    let best = [0, 1]
    let bestCost = Infinity
    for (let i = 0; i < this.rects.length; i++) {
      for (let j = i + 1; j < this.rects.length; j++) {
        const a = this.rects[i]
        const b = this.rects[j]
        const cost = rectArea(rectUnion(a, b)) - rectArea(a) - rectArea(b)
        if (cost < bestCost) {
          bestCost = cost
          best = [i, j]
        }
      }
    }
    const merged = rectUnion(this.rects[best[0]], this.rects[best[1]])
    this.rects.splice(best[1], 1)
    this.rects.splice(best[0], 1)
    this.add(merged)
  }
}

/** The mask of one image: `data[y * width + x]` is the class index of that pixel, 255 when unlabeled. */
export class MaskBuffer {
  readonly data: Uint8Array
  readonly dirty: DirtyRegion

  /** Creates an all-unlabeled mask, or wraps `data` (which must hold width × height bytes). */
  constructor(
    readonly width: number,
    readonly height: number,
    data?: Uint8Array,
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
      throw new AppError('MASK_SIZE', `mask-buffer: invalid mask size ${width}×${height}`)
    }
    if (data && data.length !== width * height) {
      throw new AppError('MASK_SIZE', `mask-buffer: mask has ${data.length} bytes, image ${width}×${height} needs ${width * height}`)
    }
    this.data = data ?? new Uint8Array(width * height).fill(UNLABELED)
    this.dirty = new DirtyRegion(width, height)
  }

  /** Class index at a pixel, or 255 outside the image. */
  get(x: number, y: number): number {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return UNLABELED
    return this.data[y * this.width + x]
  }

  /** Copies a rectangle's bytes out, row by row. */
  readRect(r: Rect): Uint8Array {
    return readBytes(this.data, this.width, r)
  }

  /** Writes a rectangle's bytes (as produced by {@link readRect}) and marks it dirty. */
  writeRect(r: Rect, bytes: Uint8Array): void {
    writeBytes(this.data, this.width, r, bytes)
    this.dirty.add(r)
  }

  /** Replaces every pixel (loading a stored mask) and marks the whole image dirty. */
  replace(data: Uint8Array): void {
    if (data.length !== this.data.length) {
      throw new AppError('MASK_SIZE', `mask-buffer: mask has ${data.length} bytes, image ${this.width}×${this.height} needs ${this.data.length}`)
    }
    this.data.set(data)
    this.dirty.addAll()
  }
}

/** RGBA pixels of a region, shaped like the DOM's ImageData so it can be wrapped without copying. */
export interface RgbaRegion {
  width: number
  height: number
  data: Uint8ClampedArray<ArrayBuffer>
}

/** How a region is drawn: overlay opacity 0..1 and outline-only mode. */
export interface RenderOptions {
  opacity?: number
  outline?: boolean
}

/** 256 RGBA entries, one per mask value; entry 255 (unlabeled) is fully transparent. */
export type ColorTable = Uint8ClampedArray

/** Builds the colour table from class definitions (`#rrggbb`); undefined classes stay transparent. */
export function buildColorTable(classes: readonly { index: number; color: string }[]): ColorTable {
  const table = new Uint8ClampedArray(256 * 4)
  for (const c of classes) {
    if (c.index < 0 || c.index >= UNLABELED) continue
    const hex = /^#([0-9a-fA-F]{6})$/.exec(c.color)
    if (!hex) throw new AppError('INVALID_INPUT', `mask-buffer: class ${c.index} has colour "${c.color}", expected #rrggbb`)
    const v = parseInt(hex[1], 16)
    table.set([(v >> 16) & 255, (v >> 8) & 255, v & 255, 255], c.index * 4)
  }
  return table
}

/**
 * Converts one rectangle of the mask to RGBA. In outline mode only labeled pixels whose value differs
 * from a 4-neighbour inside the image are drawn; callers redraw a rectangle grown by one pixel, since
 * a change also changes its neighbours' outline. Cost is proportional to the rectangle's area.
 */
export function renderRegion(mask: MaskBuffer, r: Rect, table: ColorTable, options: RenderOptions = {}): RgbaRegion {
  const opacity = Math.min(1, Math.max(0, options.opacity ?? 1))
  const lut = new Uint8ClampedArray(table)
  for (let i = 3; i < lut.length; i += 4) lut[i] = Math.round(lut[i] * opacity)
  const lut32 = new Uint32Array(lut.buffer)
  const out = new Uint8ClampedArray(r.w * r.h * 4)
  const out32 = new Uint32Array(out.buffer)
  const { data, width, height } = mask
  for (let row = 0; row < r.h; row++) {
    const y = r.y + row
    let src = y * width + r.x
    let dst = row * r.w
    for (let col = 0; col < r.w; col++, src++, dst++) {
      const v = data[src]
      if (v === UNLABELED) continue
      if (options.outline) {
        const x = r.x + col
        const edge =
          (x > 0 && data[src - 1] !== v) ||
          (x < width - 1 && data[src + 1] !== v) ||
          (y > 0 && data[src - width] !== v) ||
          (y < height - 1 && data[src + width] !== v)
        if (!edge) continue
      }
      out32[dst] = lut32[v]
    }
  }
  return { width: r.w, height: r.h, data: out }
}
