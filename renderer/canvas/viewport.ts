/**
 * Zoom and pan arithmetic of the editor view, kept pure so it is tested without a DOM.
 * A view maps image pixel (ix, iy) to screen pixel (ix * scale + x, iy * scale + y) in the stage.
 */
import type { Point } from './brush'

/** Stage transform: uniform scale, then translation in screen pixels. */
export interface View {
  scale: number
  x: number
  y: number
}

/** Zoom limits: 1% (whole satellite scenes) to 64× (single pixels). */
export const MIN_SCALE = 0.01
export const MAX_SCALE = 64

/** Clamps a scale to the zoom limits. */
export function clampScale(scale: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale))
}

/** The view that shows the whole image centred in a viewW × viewH viewport, with a small margin. */
export function fitView(imageW: number, imageH: number, viewW: number, viewH: number, margin = 16): View {
  const scale = clampScale(Math.min((viewW - 2 * margin) / imageW, (viewH - 2 * margin) / imageH))
  return centred(imageW, imageH, viewW, viewH, Number.isFinite(scale) && scale > 0 ? scale : 1)
}

/** The image at `scale` centred in the viewport (1 = one image pixel per screen pixel). */
export function centred(imageW: number, imageH: number, viewW: number, viewH: number, scale: number): View {
  return { scale, x: Math.round((viewW - imageW * scale) / 2), y: Math.round((viewH - imageH * scale) / 2) }
}

/** Scales the view by `factor` keeping the image point under screen point (sx, sy) fixed. */
export function zoomAt(view: View, factor: number, sx: number, sy: number): View {
  const scale = clampScale(view.scale * factor)
  const ix = (sx - view.x) / view.scale
  const iy = (sy - view.y) / view.scale
  return { scale, x: sx - ix * scale, y: sy - iy * scale }
}

/** Image coordinates of a screen point in the stage. */
export function screenToImage(view: View, sx: number, sy: number): Point {
  return { x: (sx - view.x) / view.scale, y: (sy - view.y) / view.scale }
}

/**
 * Zoom factor of one wheel event: deltaY in pixels (mode 0), lines (1) or pages (2); a notch of a
 * mouse wheel (about 100 px) zooms by about 1.2×, a trackpad's small deltas zoom smoothly.
 */
export function wheelZoomFactor(deltaY: number, deltaMode: number): number {
  const pixels = deltaMode === 1 ? deltaY * 33 : deltaMode === 2 ? deltaY * 800 : deltaY
  return Math.pow(1.2, -Math.max(-300, Math.min(300, pixels)) / 100)
}
