/**
 * Greedy diverse ranking of label candidates. Each step picks the candidate with the highest
 *   value = score · (1 − λ · maxSim(chosen)) · (1 − μ · maxSim(labeled))
 * where maxSim is its largest similarity (./diversity) to a candidate picked before or to an image
 * already labeled. λ near 1 makes a near-duplicate of a pick worth almost nothing, so the first twenty
 * suggestions are not twenty copies of one scene; μ < λ because a labeled look-alike still leaves the
 * candidate's own doubt worth something. Without scores (no model yet) every score is 1 and the ranking
 * is diversity alone.
 */
import { similarity, type Feature } from './diversity'

export interface Candidate<T = unknown> {
  /** Help of a label here, ≥ 0 (rarity-weighted doubt); 1 for all in diversity-only ranking. */
  score: number
  feature: Feature
  /** Image the candidate is in: labeled references of the same image are not compared with it. */
  imageId: number
  data: T
}

export interface Ranked<T = unknown> {
  candidate: Candidate<T>
  value: number
  /** Largest similarity to a candidate picked above, and the rank (1-based) of that pick. */
  likeChosen: number
  likeRank: number | null
  likeLabeled: number
}

export const LAMBDA = 0.9
export const MU = 0.5

/** The first `limit` candidates in greedy diverse order; ties go to the earlier candidate. */
export function rankDiverse<T>(candidates: readonly Candidate<T>[], labeled: readonly { imageId: number; feature: Feature }[], limit: number): Ranked<T>[] {
  const likeLabeled = candidates.map((c) => labeled.reduce((m, l) => (l.imageId === c.imageId ? m : Math.max(m, similarity(c.feature, l.feature))), 0))
  const likeChosen = new Float64Array(candidates.length)
  const likeRank: (number | null)[] = candidates.map(() => null)
  const taken = new Uint8Array(candidates.length)
  const out: Ranked<T>[] = []
  while (out.length < Math.min(limit, candidates.length)) {
    let best = -1
    let bestValue = -Infinity
    for (let i = 0; i < candidates.length; i++) {
      if (taken[i]) continue
      const v = candidates[i].score * (1 - LAMBDA * likeChosen[i]) * (1 - MU * likeLabeled[i])
      if (v > bestValue) {
        bestValue = v
        best = i
      }
    }
    taken[best] = 1
    const pick = candidates[best]
    out.push({ candidate: pick, value: bestValue, likeChosen: likeChosen[best], likeRank: likeRank[best], likeLabeled: likeLabeled[best] })
    for (let i = 0; i < candidates.length; i++) {
      if (taken[i]) continue
      const s = similarity(candidates[i].feature, pick.feature)
      if (s > likeChosen[i]) {
        likeChosen[i] = s
        likeRank[i] = out.length
      }
    }
  }
  return out
}
