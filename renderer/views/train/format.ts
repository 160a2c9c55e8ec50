/** Text the Train view shows for runs: preset names, configuration summaries, durations, estimates. */
import type { Preset, RunSummary, StopMetric, TrainConfig, TrainProgress } from '../../../core/contract'

export const PRESET_NAMES: Readonly<Record<Preset, string>> = {
  auto: 'Auto',
  balanced: 'Balanced',
  'rare-objects': 'Rare objects',
  plain: 'Plain',
}

/** What each preset does, in a line. */
export const PRESET_HELP: Readonly<Record<Preset, string>> = {
  auto: 'Tries six recipes (CE, rare crops, CE + Dice, weighted CE, focal, OHEM; copy-paste for classes under 1%) on your validation data and continues the winner.',
  balanced: 'CE + Dice, median-frequency class weights, class-aware sampling, copy-paste.',
  'rare-objects': 'Focal loss, effective-number weights, rare-class crops and copy-paste for classes under 1%.',
  plain: 'Plain cross-entropy, uniform sampling: for roughly balanced classes.',
}

export const METRIC_NAMES: Readonly<Record<StopMetric, string>> = { macroF1: 'macro-F1', mIoU: 'mIoU', rareIoU: 'rare-class IoU', valLoss: 'val loss' }

/** "Balanced · ce-dice/median · 256 px × 8 · U-Net 4×16 · 30 epochs". */
export function configSummary(c: TrainConfig): string {
  const preset = c.preset ? PRESET_NAMES[c.preset] : 'Custom'
  const weights = c.loss.classWeights === 'none' ? '' : `/${c.loss.classWeights}`
  const recipe = c.preset === 'auto' ? 'recipe race' : `${c.loss.name}${weights}`
  const budget = c.minutes !== null ? `${c.minutes} min` : `${c.epochs} epoch${c.epochs === 1 ? '' : 's'}`
  return `${preset} · ${recipe} · ${c.tileSize} px × ${c.batchSize} · U-Net ${c.model.depth}×${c.model.baseFilters} · ${budget}`
}

/** 42 → "42 s", 125 → "2 min 05 s", 3720 → "1 h 02 min". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`
}

/** Wall-clock seconds of a run (until now while it runs), or null when its times cannot be read. */
export function runSeconds(run: RunSummary, now: number): number | null {
  const start = Date.parse(run.startedAt)
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now
  return Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, (end - start) / 1000) : null
}

/** "macro-F1 0.734 @ epoch 12", or "—" before any epoch. */
export function bestText(run: RunSummary): string {
  if (!run.best) return '—'
  return `${METRIC_NAMES[run.best.metric]} ${run.best.value.toFixed(3)} @ epoch ${run.best.epoch}`
}

/**
 * Seconds one epoch takes: the mean of the finished epochs; before the first one, extrapolated from the
 * batches done so far in `elapsed` seconds; null when there is nothing to go on.
 */
export function epochEstimate(run: RunSummary, progress: TrainProgress | null, elapsed: number | null): number | null {
  if (run.epochs.length > 0) return run.epochs.reduce((a, e) => a + e.seconds, 0) / run.epochs.length
  if (!progress || progress.batch <= 0 || progress.batches <= 0 || elapsed === null || elapsed <= 0) return null
  return (elapsed / progress.batch) * progress.batches
}

/** The epoch whose confusion matrix and per-class table a run shows: the latest while it runs, else the best. */
export function resultEpoch(run: RunSummary): RunSummary['epochs'][number] | null {
  const last = run.epochs[run.epochs.length - 1] ?? null
  if (run.status === 'running' || run.status === 'queued' || !run.best) return last
  const bestEpoch = run.best.epoch
  return run.epochs.find((e) => e.epoch === bestEpoch) ?? last
}
