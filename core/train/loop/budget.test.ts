import { describe, expect, it } from 'vitest'
import { Budget, MIN_PATIENCE_STEPS, rateAt } from './budget'

const timed = { minutes: 5, epochs: 30, learningRate: 1e-3, schedule: 'cosine' as const, patience: 8 }

describe('the budget of a run', () => {
  it('runs the cosine schedule over the time budget, after a short warm-up', () => {
    const b = new Budget(timed, 4)
    const at = (seconds: number): number => b.rate({ steps: 0, periods: 0, seconds })
    expect(at(0)).toBeCloseTo(1e-4, 8)
    expect(at(15)).toBeCloseTo(1e-3, 8)
    expect(at(150)).toBeGreaterThan(4e-4)
    expect(at(150)).toBeLessThan(6e-4)
    expect(at(300)).toBeCloseTo(1e-5, 8)
    expect(b.exhausted({ steps: 10, periods: 29, seconds: 299 })).toBe(false)
    expect(b.exhausted({ steps: 10, periods: 2, seconds: 300 })).toBe(true)
    expect(rateAt({ learningRate: 1, schedule: 'step' }, 0.7)).toBeCloseTo(0.1)
  })

  it('validates less often when validation is slow, keeping it near a small share of the budget', () => {
    const b = new Budget(timed, 4)
    b.retune({ steps: 10, periods: 1, seconds: 20 }, 2, 3)
    // 280 s left at 2 s a step: 140 steps; 8 % of 300 s = 24 s of validation = 8 validations of 3 s.
    expect(b.periodSteps).toBe(Math.ceil((140 * 0.92) / 8))
    const slow = new Budget(timed, 4)
    slow.retune({ steps: 10, periods: 1, seconds: 20 }, 2, 60)
    expect(slow.periodSteps).toBe(Math.ceil((140 * 0.92) / 4))
  })

  it('counts epochs as passes when there is no time budget', () => {
    const b = new Budget({ ...timed, minutes: null, epochs: 3 }, 5)
    expect(b.periodSteps).toBe(5)
    expect(b.fraction({ steps: 5, periods: 1, seconds: 999 })).toBeCloseTo(1 / 3)
    expect(b.exhausted({ steps: 15, periods: 3, seconds: 0 })).toBe(true)
  })

  it('never stops early while the model still makes progress, nor before 40 % of the budget', () => {
    const b = new Budget({ ...timed, minutes: null, epochs: 1000, patience: 8 }, 4)
    expect(b.patienceSteps()).toBe(MIN_PATIENCE_STEPS)
    // 300 idle steps but only 10 % of the budget (4000 steps) spent.
    expect(b.earlyStop({ steps: 400, periods: 100, seconds: 0 }, 100)).toBeNull()
    // 60 % spent, but the loss or metric improved 50 steps ago.
    expect(b.earlyStop({ steps: 2400, periods: 600, seconds: 0 }, 2350)).toBeNull()
    // 60 % spent and 250 steps without progress: stop, and say why.
    expect(b.earlyStop({ steps: 2400, periods: 600, seconds: 0 }, 2150)).toMatch(/no progress for 250 optimiser steps/)
    expect(new Budget({ ...timed, patience: 0 }, 4).earlyStop({ steps: 1e6, periods: 0, seconds: 299 }, 0)).toBeNull()
  })
})
