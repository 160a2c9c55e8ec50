/**
 * The mask overlay drawn in screen space: one canvas the size of the stage, between the image and the
 * cursor layers, whose pixels are computed straight from the mask bytes (nearest neighbour through the
 * view transform). A frame after a paint rewrites only the screen rectangle under the dirty image
 * rectangles; only a zoom, pan or resize rewrites the whole screen. No canvas is ever drawn onto another
 * and nothing is the image's size, so the cost of a pointer move follows the painted area on screen,
 * never the image size (a 16k² mask costs what a 512² one does).
 */
import { UNLABELED } from '../../core/contract'
import type { ColorTable, MaskBuffer } from './mask-buffer'
import { clipRect, expandRect, type Rect } from './rect'
import { sampleAxis } from './screen-sample'
import type { View } from './viewport'

/**
 * The device-pixel rectangle of the screen that shows image rectangle `r` under `view` (`ratio` device
 * pixels per CSS pixel), clipped to the screen; null when it is off screen.
 */
export function imageRectToScreen(r: Rect, view: View, ratio: number, screenW: number, screenH: number): Rect | null {
  const k = view.scale * ratio
  const x0 = Math.floor(r.x * k + view.x * ratio)
  const y0 = Math.floor(r.y * k + view.y * ratio)
  const x1 = Math.ceil((r.x + r.w) * k + view.x * ratio)
  const y1 = Math.ceil((r.y + r.h) * k + view.y * ratio)
  return clipRect({ x: x0, y: y0, w: x1 - x0, h: y1 - y0 }, screenW, screenH)
}

/**
 * RGBA pixels of device rectangle `sr` of the screen: each device pixel takes the colour of the mask
 * pixel under its centre (transparent outside the image and where unlabeled). In outline mode only
 * labeled pixels with a differing 4-neighbour inside the image are drawn.
 */
export function renderScreenRegion(mask: MaskBuffer, table: ColorTable, view: View, ratio: number, sr: Rect, outline: boolean): Uint8ClampedArray<ArrayBuffer> {
  const k = view.scale * ratio
  const xs = sampleAxis(sr.x, sr.w, view.x * ratio, k, mask.width)
  const ys = sampleAxis(sr.y, sr.h, view.y * ratio, k, mask.height)
  const lut = new Uint32Array(table.buffer, table.byteOffset, 256)
  const out = new Uint8ClampedArray(sr.w * sr.h * 4)
  const out32 = new Uint32Array(out.buffer)
  const { data, width, height } = mask
  for (let row = 0; row < sr.h; row++) {
    const y = ys[row]
    if (y < 0) continue
    const base = y * width
    let dst = row * sr.w
    for (let col = 0; col < sr.w; col++, dst++) {
      const x = xs[col]
      if (x < 0) continue
      const src = base + x
      const v = data[src]
      if (v === UNLABELED) continue
      if (outline) {
        const edge =
          (x > 0 && data[src - 1] !== v) ||
          (x < width - 1 && data[src + 1] !== v) ||
          (y > 0 && data[src - width] !== v) ||
          (y < height - 1 && data[src + width] !== v)
        if (!edge) continue
      }
      out32[dst] = lut[v]
    }
  }
  return out
}

/** Owns the overlay canvas; see the module comment. */
export class ScreenMask {
  /** The element to insert into the stage, between the image and the cursor layers. */
  readonly element: HTMLCanvasElement
  private readonly ctx: CanvasRenderingContext2D
  private view: View = { scale: 1, x: 0, y: 0 }
  private ratio = 1
  private full = true

  constructor() {
    const canvas = document.createElement('canvas')
    Object.assign(canvas.style, { position: 'absolute', left: '0', top: '0', pointerEvents: 'none' })
    const ctx = canvas.getContext('2d')
    if (!ctx) throw new Error('screen-mask: the browser gave no 2D canvas context for the mask overlay')
    this.element = canvas
    this.ctx = ctx
  }

  /** Follows the stage size (CSS pixels) and the device pixel ratio; the next draw is a full one. */
  resize(width: number, height: number, ratio = window.devicePixelRatio || 1): void {
    this.ratio = ratio
    this.element.width = Math.max(1, Math.round(width * ratio))
    this.element.height = Math.max(1, Math.round(height * ratio))
    Object.assign(this.element.style, { width: `${width}px`, height: `${height}px` })
    this.full = true
  }

  /** Follows zoom and pan; the next draw is a full one. */
  setView(view: View): void {
    this.view = { ...view }
    this.full = true
  }

  /** Forces a full redraw on the next {@link draw} (new image, colours or outline mode). */
  invalidate(): void {
    this.full = true
  }

  /**
   * Brings the overlay up to date: the whole screen after a view change, otherwise only the screen
   * rectangles under the mask's dirty rectangles (grown by one pixel in outline mode, where a change
   * also changes its neighbours' outline). Returns the number of device pixels written.
   */
  draw(mask: MaskBuffer, table: ColorTable, outline: boolean): number {
    const { width: sw, height: sh } = this.element
    const dirty = mask.dirty.take()
    const rects: Rect[] = []
    if (this.full) {
      rects.push({ x: 0, y: 0, w: sw, h: sh })
    } else {
      for (const d of dirty) {
        const sr = imageRectToScreen(outline ? expandRect(d, 1) : d, this.view, this.ratio, sw, sh)
        if (sr) rects.push(sr)
      }
    }
    this.full = false
    let written = 0
    for (const sr of rects) {
      const rgba = renderScreenRegion(mask, table, this.view, this.ratio, sr, outline)
      this.ctx.putImageData(new ImageData(rgba, sr.w, sr.h), sr.x, sr.y)
      written += sr.w * sr.h
    }
    return written
  }

  /** Overlay opacity and visibility (style only: nothing is re-rendered). */
  setOverlay(opacity: number, visible: boolean): void {
    this.element.style.opacity = String(opacity)
    this.element.style.display = visible ? 'block' : 'none'
  }

  destroy(): void {
    this.element.remove()
  }
}
