/** Sizes of the gallery's on-demand mask thumbnails. */

/** Long side, in pixels, a mask thumbnail is drawn at: enough for the largest gallery tile on a 2× screen. */
export const MASK_THUMB_SIDE = 512

/** Scale that brings a `width` × `height` mask down to {@link MASK_THUMB_SIDE} on its long side (never up). */
export function thumbScale(width: number, height: number): number {
  return Math.min(1, MASK_THUMB_SIDE / Math.max(width, height, 1))
}
