/**
 * Validation split by image, stratified: images go to validation rarest class first, so every class with
 * labels appears in validation when it can (that is, when another image keeps it in training), and no
 * image is ever on both sides. Deterministic for a seed: the order among equal choices is a seeded
 * shuffle, and the result does not depend on the input order.
 */
import { Rng } from '../loop/rng'

/** One image's id and labeled pixels per class. */
export interface SplitItem {
  id: number
  counts: readonly number[]
}

/** Image ids for training and validation (sorted). `shared` is true when one image serves as both. */
export interface StratifiedSplit {
  train: number[]
  validation: number[]
  shared: boolean
}

/**
 * Holds out round(n × fraction) images (at least 1 when fraction > 0, training keeps at least 1):
 * first, for each class from the rarest (fewest images) up, one image containing it if validation lacks
 * the class and moving the image leaves every class of training in training; then fills up with images
 * whose move drops no class from training. A single image serves both sides (`shared`).
 */
export function stratifiedSplit(items: readonly SplitItem[], fraction: number, seed: number): StratifiedSplit {
  const sorted = [...items].sort((a, b) => a.id - b.id)
  const ids = sorted.map((i) => i.id)
  if (sorted.length <= 1 || fraction <= 0) return { train: ids, validation: fraction > 0 ? ids : [], shared: fraction > 0 && ids.length > 0 }
  const order = new Rng(seed).shuffle(sorted)
  const numClasses = Math.max(0, ...sorted.map((i) => i.counts.length))
  const has = (item: SplitItem, c: number): boolean => (item.counts[c] ?? 0) > 0
  const target = Math.min(sorted.length - 1, Math.max(1, Math.round(sorted.length * fraction)))
  const inTrain = new Array<number>(numClasses).fill(0)
  for (const item of sorted) for (let c = 0; c < numClasses; c++) if (has(item, c)) inTrain[c]++
  const validation = new Set<number>()
  const inVal = new Array<number>(numClasses).fill(0)
  const harmless = (item: SplitItem): boolean => {
    for (let c = 0; c < numClasses; c++) if (has(item, c) && inTrain[c] <= 1) return false
    return true
  }
  const move = (item: SplitItem): void => {
    validation.add(item.id)
    for (let c = 0; c < numClasses; c++) {
      if (!has(item, c)) continue
      inTrain[c]--
      inVal[c]++
    }
  }
  const classes = [...Array(numClasses).keys()].filter((c) => inTrain[c] > 0).sort((a, b) => inTrain[a] - inTrain[b] || a - b)
  for (const c of classes) {
    if (validation.size >= target) break
    if (inVal[c] > 0) continue
    const candidate = order.find((item) => !validation.has(item.id) && has(item, c) && harmless(item))
    if (candidate) move(candidate)
  }
  for (const item of order) {
    if (validation.size >= target) break
    if (!validation.has(item.id) && harmless(item)) move(item)
  }
  if (validation.size === 0) move(order[0])
  return { train: ids.filter((id) => !validation.has(id)), validation: ids.filter((id) => validation.has(id)), shared: false }
}
