/**
 * Successive halving over candidate recipes: every candidate that is still in trains `rungSteps` more
 * optimiser steps, all are scored on validation, the better half (rounded up) stays; until one is left.
 * The survivor keeps its weights and optimiser state, so the caller continues it for the rest of the
 * budget instead of starting over. Ties go to the earlier candidate (the prior order).
 *
 * Noise: the race also measures how much a candidate's score moves from one rung to the next; the
 * winner's margin over the runner-up counts as clear only when it exceeds that typical move.
 */
import type { RaceCandidate } from '../../contract'
import type { RecipeCandidate } from './candidates'

export interface RaceHooks<C> {
  /** A contender for the candidate, starting from the shared warm start. */
  spawn(candidate: RecipeCandidate): Promise<C>
  /** Trains `steps` optimiser steps; false when the run was cancelled. */
  train(contender: C, steps: number): Promise<boolean>
  /** The race metric on validation (higher is better); null when cancelled. */
  score(contender: C): Promise<number | null>
  /** Frees a dropped contender. */
  drop(contender: C): void
  /** Told after each rung with the standings so far. */
  onRung?(rung: number, standings: readonly RaceCandidate[]): void
}

export interface RaceResult<C> {
  winner: C
  candidate: RecipeCandidate
  standings: RaceCandidate[]
  margin: number
  noise: number
  clear: boolean
  reason: string
}

interface Entry<C> {
  candidate: RecipeCandidate
  contender: C
  order: number
  row: RaceCandidate
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0
  const s = [...values].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** Optimiser steps the race takes with `n` candidates and `rungSteps` per rung. */
export function raceSteps(n: number, rungSteps: number): number {
  let total = 0
  for (let alive = n; alive > 1; alive = Math.ceil(alive / 2)) total += alive * rungSteps
  return total
}

/** Runs the race; null when it was cancelled (every contender already dropped). */
export async function runRace<C>(candidates: readonly RecipeCandidate[], rungSteps: number, hooks: RaceHooks<C>): Promise<RaceResult<C> | null> {
  const entries: Entry<C>[] = []
  try {
    for (const [order, candidate] of candidates.entries()) {
      entries.push({ candidate, order, contender: await hooks.spawn(candidate), row: { key: candidate.key, label: candidate.label, recipe: candidate.recipe, scores: [], steps: 0, droppedAfter: null } })
    }
    let alive = [...entries]
    let rung = 0
    while (alive.length > 1) {
      rung++
      for (const e of alive) {
        if (!(await hooks.train(e.contender, rungSteps))) throw new RaceCancelled()
        e.row.steps += rungSteps
        const score = await hooks.score(e.contender)
        if (score === null) throw new RaceCancelled()
        e.row.scores.push(score)
      }
      alive.sort((a, b) => last(b) - last(a) || a.order - b.order)
      const keep = Math.ceil(alive.length / 2)
      for (const e of alive.slice(keep)) {
        e.row.droppedAfter = rung
        hooks.drop(e.contender)
      }
      alive = alive.slice(0, keep)
      hooks.onRung?.(rung, entries.map((e) => e.row))
    }
    const winner = alive[0]
    const finalists = entries.filter((e) => e.row.scores.length === rung).sort((a, b) => last(b) - last(a) || a.order - b.order)
    const runnerUp = finalists[1]
    const margin = runnerUp ? last(winner) - last(runnerUp) : 0
    const moves = entries.flatMap((e) => e.row.scores.slice(1).map((s, i) => Math.abs(s - e.row.scores[i])))
    const noise = median(moves)
    // With a single rung there is no rung-to-rung change to measure the noise by: never call that clear.
    const clear = runnerUp ? moves.length > 0 && margin > noise : true
    const reason = runnerUp
      ? `${winner.candidate.label} scored ${last(winner).toFixed(3)} against ${last(runnerUp).toFixed(3)} for ${runnerUp.candidate.label} after rung ${rung}; ` +
        (moves.length === 0 ? `a margin of ${margin.toFixed(3)} after a single rung, with no measure of the noise: the choice is not clear.` : clear ? `a margin of ${margin.toFixed(3)}, more than the typical rung-to-rung change of ${noise.toFixed(3)}.` : `a margin of ${margin.toFixed(3)}, within the typical rung-to-rung change of ${noise.toFixed(3)}: the choice is not clear, the two are about equal on this validation data.`)
      : `${winner.candidate.label} was the only candidate.`
    return { winner: winner.contender, candidate: winner.candidate, standings: entries.map((e) => e.row), margin, noise, clear, reason }
  } catch (err) {
    for (const e of entries) if (e.row.droppedAfter === null) hooks.drop(e.contender)
    if (err instanceof RaceCancelled) return null
    throw err
  }
}

function last(e: Entry<unknown>): number {
  return e.row.scores[e.row.scores.length - 1] ?? -Infinity
}

class RaceCancelled extends Error {}
