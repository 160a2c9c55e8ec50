/**
 * Scores of areas of an image for labelling: the rarity-weighted mean doubt S = Σ_p r(c_p) · w_p / N over
 * the area's N pixels still to label (r from core/train/pseudo's rarityWeights, w from ./uncertainty).
 * A mean, not a sum: labelling effort grows with area, so S is the help per pixel labeled. Partly labeled
 * images are split into a grid and offer their best mostly-unlabeled cell.
 */
import type { PixelDoubt } from './uncertainty'
import { UNCERTAIN_DOUBT } from './uncertainty'

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

export interface AreaScore {
  score: number
  /** Pixels of the area that are still to label. */
  pixels: number
  /** The class whose doubt weighs most (255 = unknown), its rarity, and its uncertain pixels. */
  topClass: number
  topRarity: number
  topUncertainPixels: number
}

/** Cells per side of the grid partly labeled images are split into. */
export const GRID = 4
/** A cell is offered only when at least this share of it is unlabeled. */
export const MIN_UNLABELED_SHARE = 0.5

/** The GRID × GRID cells of a width × height image (edge cells take the remainder). */
export function gridCells(width: number, height: number, grid = GRID): Rect[] {
  const cells: Rect[] = []
  const cw = Math.ceil(width / grid)
  const ch = Math.ceil(height / grid)
  for (let y = 0; y < height; y += ch) {
    for (let x = 0; x < width; x += cw) cells.push({ x, y, width: Math.min(cw, width - x), height: Math.min(ch, height - y) })
  }
  return cells
}

/**
 * Scores `rect` of an image of `width` pixels a row; `labels` (255 = unlabeled) leaves out pixels
 * already labeled, null scores every pixel.
 */
export function scoreArea(d: PixelDoubt, width: number, rect: Rect, rarity: readonly number[], labels: Uint8Array | null): AreaScore {
  const weighted = new Map<number, number>()
  const uncertain = new Map<number, number>()
  let sum = 0
  let pixels = 0
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    for (let x = rect.x; x < rect.x + rect.width; x++) {
      const p = y * width + x
      if (labels && labels[p] !== 255) continue
      pixels++
      const c = d.cls[p]
      const v = (rarity[c] ?? 1) * d.doubt[p]
      sum += v
      weighted.set(c, (weighted.get(c) ?? 0) + v)
      if (d.doubt[p] >= UNCERTAIN_DOUBT) uncertain.set(c, (uncertain.get(c) ?? 0) + 1)
    }
  }
  let topClass = 255
  let best = -1
  for (const [c, v] of weighted) {
    if (v > best) {
      best = v
      topClass = c
    }
  }
  return {
    score: pixels > 0 ? sum / pixels : 0,
    pixels,
    topClass,
    topRarity: rarity[topClass] ?? 1,
    topUncertainPixels: uncertain.get(topClass) ?? 0,
  }
}

/** Share of `rect` that is unlabeled in `labels`. */
export function unlabeledShare(labels: Uint8Array, width: number, rect: Rect): number {
  let n = 0
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    for (let x = rect.x; x < rect.x + rect.width; x++) if (labels[y * width + x] === 255) n++
  }
  return rect.width * rect.height > 0 ? n / (rect.width * rect.height) : 0
}

/** The mostly-unlabeled cells of a partly labeled image (largest unlabeled share first on ties). */
export function openCells(labels: Uint8Array, width: number, height: number): Rect[] {
  return gridCells(width, height).filter((r) => unlabeledShare(labels, width, r) >= MIN_UNLABELED_SHARE)
}
