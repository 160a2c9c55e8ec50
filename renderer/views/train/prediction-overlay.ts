/**
 * Pixels of the editor's prediction overlay: the active model's predicted classes in the class colours,
 * or its confidence as a heatmap (red = unsure, through yellow, to green = sure). The decoded prediction
 * stays one byte per image pixel (class index or confidence level); a frame renders only the part of the
 * screen the image covers, at screen resolution, through a 256-entry colour table, so nothing the
 * image's size is ever RGBA (an 8,000² prediction is 64 MB of bytes, never a 256 MB bitmap). Pure, so
 * the colours and the sampling are tested without a canvas.
 */
import type { ClassDef } from '../../../core/contract'
import type { ColorTable } from '../../canvas/mask-buffer'
import type { Rect } from '../../canvas/rect'
import { imageRectToScreen } from '../../canvas/screen-mask'
import { renderTableRegion, type ByteMap } from '../../canvas/screen-sample'
import type { View } from '../../canvas/viewport'

/** Opacity of predicted-class pixels (0..255); pixels the round did not keep (255) stay transparent. */
export const CLASS_ALPHA = 150
/** Opacity of the confidence heatmap. */
export const CONFIDENCE_ALPHA = 170

/** What the overlay shows. */
export type PredictionMode = 'off' | 'classes' | 'confidence'

function hexRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.replace('#', '').slice(0, 6), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

/** Colour table of class indices in the class colours; indices without a class (255 = not kept) are transparent. */
export function classTable(classes: readonly ClassDef[]): ColorTable {
  const table = new Uint8ClampedArray(256 * 4)
  for (const c of classes) {
    if (c.index < 0 || c.index > 255) continue
    const [r, g, b] = hexRgb(c.color)
    table.set([r, g, b, CLASS_ALPHA], c.index * 4)
  }
  return table
}

/** Heat colour of a confidence 0..255: red (0) → yellow (128) → green (255). */
export function heat(value: number): [number, number, number] {
  const t = Math.min(255, Math.max(0, value)) / 255
  return t < 0.5 ? [230, Math.round(60 + 2 * t * 170), 50] : [Math.round(230 - (t - 0.5) * 2 * 170), 230, 50]
}

/** The heatmap's legend as a CSS gradient: exactly the overlay's colours from confidence 0 to 1. */
export function heatLegendGradient(): string {
  const stops = [0, 64, 128, 192, 255].map((v) => `rgb(${heat(v).join(', ')})`)
  return `linear-gradient(90deg, ${stops.join(', ')})`
}

/** Colour table of confidence levels (255 = confidence 1) as the heatmap. */
export function confidenceTable(): ColorTable {
  const table = new Uint8ClampedArray(256 * 4)
  for (let v = 0; v < 256; v++) table.set([...heat(v), CONFIDENCE_ALPHA], v * 4)
  return table
}

/** One frame of the overlay: the RGBA of the device rectangle `rect` of the screen; the rest is clear. */
export interface PredictionFrame {
  rect: Rect
  rgba: Uint8ClampedArray<ArrayBuffer>
}

/**
 * The overlay of `map` (class indices or confidence levels, the image's size) for a screen of `screenW`
 * × `screenH` device pixels under the editor's `view` at `ratio` device pixels per CSS pixel: only the
 * screen rectangle the image covers, each device pixel the colour of the map pixel under its centre (as
 * the image-sized canvas scaled with `image-rendering: pixelated` showed it). Null when the image is off
 * screen.
 */
export function predictionFrame(map: ByteMap, table: ColorTable, view: View, ratio: number, screenW: number, screenH: number): PredictionFrame | null {
  const rect = imageRectToScreen({ x: 0, y: 0, w: map.width, h: map.height }, view, ratio, screenW, screenH)
  return rect ? { rect, rgba: renderTableRegion(map, table, view, ratio, rect) } : null
}

/** The note under the toggle for a loaded prediction, or for none. */
export function predictionNote(p: { runId: number; roundId: number; meanConfidence: number | null } | null): string {
  if (!p) return 'The active model has not predicted this image yet (predict from the Review or Train view).'
  return `run #${p.runId} · round ${p.roundId}${p.meanConfidence === null ? '' : ` · mean confidence ${p.meanConfidence.toFixed(2)}`}`
}
