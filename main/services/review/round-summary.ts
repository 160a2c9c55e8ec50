/**
 * The rounds history: per round its review counts, the validation metrics of the run that predicted
 * it, and how its accepted pseudo-labels shifted the class balance (shares of all labeled pixels
 * without and with those labels that are still current).
 */
import { RoundParams, type BalanceShift, type ClassDef, type RoundSummary } from '../../../core/contract'
import type { ProjectStore, PseudoLabelRepo, RoundRow } from '../../../core/project'
import { RunRepo } from '../../../core/train/loop/run-repo'

function modelMetrics(store: ProjectStore, runId: number | null): RoundSummary['model'] {
  if (runId === null) return null
  try {
    const run = new RunRepo(store).get(runId)
    const best = run.best ? run.epochs.find((e) => e.epoch === run.best?.epoch) : run.epochs[run.epochs.length - 1]
    if (!best) return null
    return { macroF1: best.macroF1, mIoU: best.mIoU, perClassIoU: best.perClass.map((c) => c.iou) }
  } catch {
    return null
  }
}

const shares = (pixels: readonly number[]): number[] => {
  const total = pixels.reduce((a, b) => a + b, 0)
  return pixels.map((p) => (total > 0 ? p / total : 0))
}

/** Class shares before and after the round's accepted pseudo-labels that are still the images' labels. */
export function balanceShift(repo: PseudoLabelRepo, roundId: number, classes: readonly ClassDef[], current: readonly number[]): BalanceShift[] {
  const before = [...current]
  for (const row of repo.ofRound(roundId)) {
    if (row.status !== 'accepted' || row.acceptedRevisionId === null) continue
    if (repo.currentRevision(row.imageId) !== row.acceptedRevisionId) continue
    repo.revisionClassPixels(row.acceptedRevisionId).forEach((px, c) => {
      if (c < before.length) before[c] -= px
    })
    if (row.previousRevisionId !== null) {
      repo.revisionClassPixels(row.previousRevisionId).forEach((px, c) => {
        if (c < before.length) before[c] += px
      })
    }
  }
  const b = shares(before)
  const a = shares(current)
  return classes.map((c, i) => ({ index: c.index, name: c.name, before: b[i] ?? 0, after: a[i] ?? 0 }))
}

/** The summary of one stored round. */
export function roundSummary(store: ProjectStore, repo: PseudoLabelRepo, round: RoundRow, current: readonly number[]): RoundSummary {
  const classes = store.classes()
  const parsed = RoundParams.safeParse(round.params.round)
  const thresholds = Array.isArray(round.params.thresholds) ? (round.params.thresholds as (number | null)[]) : null
  const epoch = typeof round.params.epoch === 'number' ? round.params.epoch : null
  return {
    id: round.id,
    createdAt: round.createdAt,
    status: round.status,
    runId: round.runId,
    epoch,
    params: parsed.success && round.params.round !== undefined ? parsed.data : null,
    thresholds,
    counts: repo.counts(round.id),
    model: modelMetrics(store, round.runId),
    balanceShift: balanceShift(repo, round.id, classes, current),
    rolledBackAt: round.rolledBackAt,
    error: round.error,
  }
}
