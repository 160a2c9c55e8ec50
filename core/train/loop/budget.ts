/**
 * How a run spends its budget. With `minutes` the budget is time: the learning-rate schedule runs over
 * the elapsed share of it, and the steps between validations ("periods", reported as epochs) are chosen
 * from the measured step and validation times so validation takes a small share of the budget. Without
 * it the budget is `epochs` passes over the training tiles, one period each. Early stopping counts
 * optimiser steps, never fires before 40 % of the budget, and needs both the stop metric and the
 * validation loss to have stalled.
 */
import type { TrainConfig } from '../../contract'

/** Early stopping waits at least this many optimiser steps without progress. */
export const MIN_PATIENCE_STEPS = 200
/** Share of the budget before early stopping may fire. */
export const PATIENCE_WARMUP_SHARE = 0.4
/** Share of a time budget validation should take at most (it decides how often to validate). */
export const VALIDATION_SHARE = 0.08
/** Share of the budget the cosine schedule warms up over (linear from 10 % of the rate). */
const WARMUP_SHARE = 0.05
/** A time-budgeted run validates at least this many times, and at most this many. */
const MIN_PERIODS = 4
const MAX_PERIODS = 30
/** Safety cap on periods of a time-budgeted run. */
const MAX_TIME_PERIODS = 1000

export type BudgetConfig = Pick<TrainConfig, 'minutes' | 'epochs' | 'learningRate' | 'schedule' | 'patience'>

/** Learning rate at `fraction` (0..1) of the budget: constant; warm-up then cosine to 1 %; or ×0.1 steps at 60 % and 85 %. */
export function rateAt(config: Pick<TrainConfig, 'learningRate' | 'schedule'>, fraction: number): number {
  const lr = config.learningRate
  const f = Math.min(1, Math.max(0, fraction))
  switch (config.schedule) {
    case 'constant':
      return lr
    case 'cosine': {
      if (f < WARMUP_SHARE) return lr * (0.1 + (0.9 * f) / WARMUP_SHARE)
      const min = lr * 0.01
      const t = (f - WARMUP_SHARE) / (1 - WARMUP_SHARE)
      return min + 0.5 * (lr - min) * (1 + Math.cos(Math.PI * t))
    }
    case 'step':
      return f >= 0.85 ? lr * 0.01 : f >= 0.6 ? lr * 0.1 : lr
  }
}

/** Where the run is: optimiser steps, periods done, seconds spent (training and validation). */
export interface BudgetPosition {
  steps: number
  periods: number
  seconds: number
}

export class Budget {
  /** Optimiser steps of the next period. */
  periodSteps: number
  /** Seconds kept at the end of a time budget for the final checks (weights kept, flip averaging). */
  reserveSeconds = 0
  readonly mode: 'time' | 'steps'

  constructor(private readonly config: BudgetConfig, readonly stepsPerPass: number, periodSteps?: number) {
    this.mode = config.minutes !== null ? 'time' : 'steps'
    this.periodSteps = periodSteps ?? (this.mode === 'time' ? Math.max(MIN_PERIODS, Math.min(stepsPerPass, 16)) : Math.max(1, stepsPerPass))
  }

  get totalSeconds(): number | null {
    return this.config.minutes !== null ? this.config.minutes * 60 : null
  }

  /** Share of the budget used (0..1). */
  fraction(at: BudgetPosition): number {
    const total = this.totalSeconds
    if (total !== null) return Math.min(1, at.seconds / total)
    return Math.min(1, at.steps / Math.max(1, this.config.epochs * this.periodSteps))
  }

  rate(at: BudgetPosition): number {
    return rateAt(this.config, this.fraction(at))
  }

  /** Whether the budget is spent. */
  exhausted(at: BudgetPosition): boolean {
    if (this.mode === 'time') return at.seconds >= (this.totalSeconds as number) - this.reserveSeconds || at.periods >= MAX_TIME_PERIODS
    return at.periods >= this.config.epochs
  }

  /**
   * Time mode: sets the period so the rest of the budget validates every few percent of it, given the
   * measured seconds per step and per validation (at most {@link VALIDATION_SHARE} of the budget).
   */
  retune(at: BudgetPosition, stepSeconds: number, validationSeconds: number): void {
    const total = this.totalSeconds
    if (total === null || !(stepSeconds > 0)) return
    const remaining = Math.max(0, total - at.seconds)
    const byShare = Math.floor((VALIDATION_SHARE * total) / Math.max(validationSeconds, 1e-3))
    const periods = Math.max(MIN_PERIODS, Math.min(MAX_PERIODS, byShare))
    const stepsLeft = remaining / stepSeconds
    this.periodSteps = Math.max(MIN_PERIODS, Math.ceil((stepsLeft * (1 - VALIDATION_SHARE)) / periods))
  }

  /** Steps without progress that end the run early: `patience` periods, at least {@link MIN_PATIENCE_STEPS}. */
  patienceSteps(): number {
    return Math.max(this.config.patience * this.periodSteps, MIN_PATIENCE_STEPS)
  }

  /**
   * Why the run should stop early, or null: patience is on, at least 40 % of the budget is spent, and
   * neither the stop metric nor the validation loss improved in the last {@link patienceSteps} steps.
   */
  earlyStop(at: BudgetPosition, lastProgressStep: number): string | null {
    if (this.config.patience <= 0) return null
    const share = this.fraction(at)
    if (share < PATIENCE_WARMUP_SHARE) return null
    const idle = at.steps - lastProgressStep
    const limit = this.patienceSteps()
    if (idle < limit) return null
    return `no progress for ${idle} optimiser steps (neither the stop metric nor the validation loss improved; patience ${limit} steps) after ${Math.round(share * 100)} % of the budget`
  }
}
