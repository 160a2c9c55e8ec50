/**
 * Which model a pseudo-label round would use, and which runs could become it: Review runs a round with
 * the active model, so without one it must say why and offer the way out (use a run that saved a
 * checkpoint, or train one).
 */
import type { RunSummary } from '../../../core/contract'

/** The active model's run, and the finished runs with a best epoch that could be made the active one. */
export interface ModelChoice {
  active: RunSummary | null
  usable: RunSummary[]
}

/** Splits the project's runs into the active model and the runs that could become it (newest first). */
export function modelChoice(runs: readonly RunSummary[]): ModelChoice {
  const active = runs.find((r) => r.active) ?? null
  const usable = runs.filter((r) => !r.active && r.best !== null && r.status !== 'running' && r.status !== 'queued')
  return { active, usable: [...usable].sort((a, b) => b.id - a.id) }
}

/** "run #3 (cancelled, best macroF1 0.612 at epoch 2)". */
export function runChoiceLabel(run: RunSummary): string {
  const best = run.best ? `, best ${run.best.metric} ${run.best.value.toFixed(3)} at epoch ${run.best.epoch}` : ''
  return `run #${run.id} (${run.status}${best})`
}
