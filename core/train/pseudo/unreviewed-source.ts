/**
 * Unreviewed pseudo-labels in training (TrainConfig.pseudoUnreviewedWeight): the confident pixels the
 * newest round kept on images nobody has labeled or reviewed yet join the training data at a lower
 * weight. The losses take no per-pixel weights, so the weight w is applied by keeping a fixed,
 * seeded random fraction w of those pixels (the rest become 255): in expectation their share of every
 * loss sum is w times that of a reviewed label, and the same pixels are kept every epoch.
 */
import { UNLABELED } from '../../contract'
import { decodeMaskPng } from '../../imaging'
import { PseudoLabelRepo, type ProjectStore } from '../../project'
import type { TrainingSource } from '../loop/data-source'

/** A uniform 0..1 value per (seed, image, pixel), the same on every call. */
function hash01(seed: number, imageId: number, p: number): number {
  let h = (seed ^ Math.imul(imageId + 1, 0x9e3779b1) ^ Math.imul(p + 1, 0x85ebca6b)) >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d)
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b)
  h ^= h >>> 16
  return (h >>> 0) / 4294967296
}

/** Keeps each labeled pixel with probability `weight` (deterministic in seed and image); others become 255. */
export function thinMask(mask: Uint8Array, weight: number, seed: number, imageId: number): Uint8Array {
  if (weight >= 1) return mask.slice()
  const out = new Uint8Array(mask.length).fill(UNLABELED)
  if (weight <= 0) return out
  for (let p = 0; p < mask.length; p++) if (mask[p] !== UNLABELED && hash01(seed, imageId, p) < weight) out[p] = mask[p]
  return out
}

/** `source` plus the project's unreviewed pseudo-labels at `weight` (the source itself when weight is 0). */
export function withUnreviewedPseudoLabels(source: TrainingSource, store: ProjectStore, weight: number, seed: number): TrainingSource {
  if (weight <= 0) return source
  const repo = new PseudoLabelRepo(store)
  const pseudo = new Map<number, number>()
  return {
    classes: () => source.classes(),
    pixels: (id) => source.pixels(id),
    labeledImages: async () => {
      const labeled = await source.labeledImages()
      const have = new Set(labeled.map((r) => r.id))
      pseudo.clear()
      const extra = repo.unreviewed().filter((u) => !have.has(u.imageId))
      for (const u of extra) pseudo.set(u.imageId, u.id)
      return [...labeled, ...extra.map((u) => ({ id: u.imageId, name: u.imageName, width: u.width, height: u.height, pseudo: true }))]
    },
    mask: async (id) => {
      const pseudoId = pseudo.get(id)
      if (pseudoId === undefined) return source.mask(id)
      const mask = decodeMaskPng(repo.maps(pseudoId).mask, `pseudo-label ${pseudoId}`).data
      return thinMask(mask, weight, seed, id)
    },
    // Images given unreviewed pseudo-labels train on those; the rest stay unlabeled for consistency training.
    unlabeledImages: async () => {
      const all = (await source.unlabeledImages?.()) ?? []
      return all.filter((r) => !pseudo.has(r.id))
    },
  }
}
