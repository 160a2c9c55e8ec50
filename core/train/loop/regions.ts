/**
 * Validation on held-out regions: with few labeled images, holding out whole images throws away a
 * fifth of the labels (2 of 10 images) and validates on whatever those two images happen to show.
 * Instead every labeled image gives a horizontal band of `fraction` of its rows to validation; training
 * sees the rest of the image with that band (and a margin) unlabeled, so no validation label is ever
 * trained on. The band position is seeded, chosen among a few candidates to show as many classes as
 * possible (rare classes first), so a resumed run validates on the same pixels.
 */
import { UNLABELED } from '../../contract'
import type { TrainImage } from './data-source'
import { mixSeed, Rng } from './rng'

/** Rows of unlabeled margin between a validation band and the training pixels around it. */
export const BAND_MARGIN = 8

export interface RegionSplit {
  train: TrainImage[]
  validation: TrainImage[]
  /** Share of all labeled pixels held out. */
  heldOut: number
}

function labeledIn(labels: Uint8Array, width: number, y0: number, y1: number, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0)
  for (let i = y0 * width; i < y1 * width; i++) {
    const l = labels[i]
    if (l !== UNLABELED && l < classes) counts[l]++
  }
  return counts
}

/**
 * Cuts a validation band out of each image in `images` (all of them go on training too, band masked).
 * `rarity[c]` weighs class c when choosing the band (higher for rarer classes). Images in `trainOnly`
 * (pseudo-labeled ones) are never cut.
 */
export function regionSplit(images: readonly TrainImage[], fraction: number, seed: number, rarity: readonly number[], trainOnly: ReadonlySet<number> = new Set()): RegionSplit {
  const train: TrainImage[] = []
  const validation: TrainImage[] = []
  let labeled = 0
  let held = 0
  for (const img of images) {
    const total = labeledIn(img.labels, img.width, 0, img.height, rarity.length).reduce((a, b) => a + b, 0)
    labeled += total
    const rows = Math.max(1, Math.round(img.height * fraction))
    if (trainOnly.has(img.id) || img.height < 2 || rows >= img.height) {
      train.push(img)
      continue
    }
    const rng = new Rng(mixSeed(seed, 31 + img.id))
    let bestY = 0
    let bestScore = -1
    for (let k = 0; k < 6; k++) {
      const y = Math.floor(rng.next() * (img.height - rows + 1))
      const counts = labeledIn(img.labels, img.width, y, y + rows, rarity.length)
      const score = counts.reduce((a, n, c) => a + (n > 0 ? rarity[c] : 0), 0) + counts.reduce((a, b) => a + b, 0) / Math.max(1, total) * 1e-3
      if (score > bestScore) {
        bestScore = score
        bestY = y
      }
    }
    const y0 = bestY
    const y1 = bestY + rows
    const bandLabels = img.labels.slice(y0 * img.width, y1 * img.width)
    const bandHeld = bandLabels.reduce((a, l) => a + (l !== UNLABELED ? 1 : 0), 0)
    if (bandHeld === 0) {
      train.push(img)
      continue
    }
    held += bandHeld
    validation.push({ ...img, name: `${img.name} (rows ${y0}–${y1 - 1})`, height: rows, data: img.data.slice(y0 * img.width * img.channels, y1 * img.width * img.channels), labels: bandLabels })
    const masked = img.labels.slice()
    masked.fill(UNLABELED, Math.max(0, y0 - BAND_MARGIN) * img.width, Math.min(img.height, y1 + BAND_MARGIN) * img.width)
    train.push({ ...img, labels: masked })
  }
  return { train, validation, heldOut: labeled > 0 ? held / labeled : 0 }
}
