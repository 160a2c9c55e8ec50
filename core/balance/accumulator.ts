/**
 * Incremental project totals of labeled pixels per class. Each image contributes its per-class pixel
 * counts once; saving a mask removes the old counts and adds the new ones, so refreshing the project
 * totals costs O(classes) instead of a pass over every mask.
 */
import { AppError, type MaskSource } from '../contract'

/** Where an image's labels come from, for counting human and pseudo-labels apart. */
export type LabelGroup = 'human' | 'pseudo'

/** One image's labeled pixels per class (index = class; 255 already left out) and its label source. */
export interface ImageClassCounts {
  counts: ArrayLike<number>
  /** 'pseudo-accepted' counts as pseudo-labels; 'human' and 'import' (the default) as human labels. */
  source?: MaskSource
}

/**
 * Plain-data totals over a set of images. `containingPixels[c]` is the number of labeled pixels (of any
 * class) in the images that contain class c: the denominator of SegNet's median-frequency balancing.
 */
export interface BalanceTotals {
  classCount: number
  /** Images with at least one labeled pixel. */
  labeledImages: number
  labeledPixels: number
  /** Labeled pixels of each class. */
  pixels: number[]
  /** Images containing at least one pixel of each class. */
  images: number[]
  /** Labeled pixels of the images that contain each class. */
  containingPixels: number[]
}

/** Maps a mask source to the group it is counted in. */
export function labelGroup(source: MaskSource | undefined): LabelGroup {
  return source === 'pseudo-accepted' ? 'pseudo' : 'human'
}

class GroupTotals {
  labeledImages = 0
  labeledPixels = 0
  readonly pixels: Float64Array
  readonly images: Float64Array
  readonly containingPixels: Float64Array
  constructor(classCount: number) {
    this.pixels = new Float64Array(classCount)
    this.images = new Float64Array(classCount)
    this.containingPixels = new Float64Array(classCount)
  }
}

/**
 * Running per-class totals, kept separately for human labels and accepted pseudo-labels.
 * `add` and `remove` take the same per-image counts; `totals()` returns a plain-data snapshot.
 */
export class BalanceAccumulator {
  readonly classCount: number
  private readonly groups: Record<LabelGroup, GroupTotals>

  constructor(classCount: number) {
    if (!Number.isInteger(classCount) || classCount < 1 || classCount > 255) {
      throw new AppError('INVALID_INPUT', `BalanceAccumulator: class count must be an integer in 1..255, got ${classCount}`)
    }
    this.classCount = classCount
    this.groups = { human: new GroupTotals(classCount), pseudo: new GroupTotals(classCount) }
  }

  /** Adds one image's counts to the totals. */
  add(image: ImageClassCounts): void {
    this.apply(image, 1)
  }

  /** Removes one image's counts (as they were when added); throws if the totals would go negative. */
  remove(image: ImageClassCounts): void {
    this.apply(image, -1)
  }

  /** Replaces an image's old counts with its new ones, as after a mask save. */
  replace(before: ImageClassCounts, after: ImageClassCounts): void {
    this.remove(before)
    this.add(after)
  }

  /** Snapshot of the totals of one group, or of both together ('all', the default). */
  totals(group: LabelGroup | 'all' = 'all'): BalanceTotals {
    const parts = group === 'all' ? [this.groups.human, this.groups.pseudo] : [this.groups[group]]
    const out: BalanceTotals = {
      classCount: this.classCount,
      labeledImages: 0,
      labeledPixels: 0,
      pixels: new Array<number>(this.classCount).fill(0),
      images: new Array<number>(this.classCount).fill(0),
      containingPixels: new Array<number>(this.classCount).fill(0),
    }
    for (const g of parts) {
      out.labeledImages += g.labeledImages
      out.labeledPixels += g.labeledPixels
      for (let c = 0; c < this.classCount; c++) {
        out.pixels[c] += g.pixels[c]
        out.images[c] += g.images[c]
        out.containingPixels[c] += g.containingPixels[c]
      }
    }
    return out
  }

  private apply(image: ImageClassCounts, sign: 1 | -1): void {
    const counts = image.counts
    if (counts.length > this.classCount) {
      throw new AppError('INVALID_INPUT', `BalanceAccumulator: image counts have ${counts.length} classes, the project has ${this.classCount}`)
    }
    let total = 0
    for (let c = 0; c < counts.length; c++) {
      const v = counts[c]
      if (!(v >= 0) || !Number.isFinite(v)) {
        throw new AppError('INVALID_INPUT', `BalanceAccumulator: pixel count of class ${c} must be a finite number ≥ 0, got ${v}`)
      }
      total += v
    }
    if (total === 0) return
    const g = this.groups[labelGroup(image.source)]
    if (sign < 0) this.checkRemovable(g, counts, total)
    g.labeledImages += sign
    g.labeledPixels += sign * total
    for (let c = 0; c < counts.length; c++) {
      const v = counts[c]
      if (v === 0) continue
      g.pixels[c] += sign * v
      g.images[c] += sign
      g.containingPixels[c] += sign * total
    }
  }

  private checkRemovable(g: GroupTotals, counts: ArrayLike<number>, total: number): void {
    let ok = g.labeledImages >= 1 && g.labeledPixels >= total
    for (let c = 0; ok && c < counts.length; c++) {
      if (counts[c] > 0) ok = g.pixels[c] >= counts[c] && g.images[c] >= 1 && g.containingPixels[c] >= total
    }
    if (!ok) {
      throw new AppError('INTERNAL', 'BalanceAccumulator: removing counts that were never added (totals would go negative)')
    }
  }
}

/** Builds an accumulator from every image's counts: the full recompute. */
export function accumulate(images: Iterable<ImageClassCounts>, classCount: number): BalanceAccumulator {
  const acc = new BalanceAccumulator(classCount)
  for (const image of images) acc.add(image)
  return acc
}
