import * as tf from '@tensorflow/tfjs-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { TrainConfig, type RunReport } from '../../contract'
import { selectBackend } from '../backend'
import type { CheckpointData } from './state'
import { memorySource, squaresDataset } from './test-data'
import { runTrainingLoop } from './train-loop'

describe('the auto preset', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'wasm' })
  })

  it('races the recipes, continues the winner (no restart), checkpoints only the winner and calibrates it', async () => {
    const before = tf.memory().numTensors
    const config = TrainConfig.parse({
      preset: 'auto', epochs: 4, tileSize: 32, batchSize: 4, model: { depth: 3, baseFilters: 8, dropout: 0.1 },
      learningRate: 0.01, schedule: 'cosine', patience: 0, validationFraction: 0.25,
    })
    const reports: RunReport[] = []
    const checkpoints: CheckpointData[] = []
    const result = await runTrainingLoop({
      runId: 1, config, source: memorySource(squaresDataset(8, 64, 5)),
      onReport: (r) => reports.push(structuredClone(r)),
      saveCheckpoint: (c) => void checkpoints.push(c),
    })
    expect(result.status).toBe('completed')
    const report = result.state.report as RunReport
    const race = report.race
    expect(race).not.toBeNull()
    if (!race) return
    // The first report comes right after the race, before any checkpoint: the Train view can show it.
    expect(reports[0].race?.winner).toBe(race.winner)
    expect(race.candidates.length).toBeGreaterThanOrEqual(2)
    const winner = race.candidates.find((c) => c.key === race.winner)
    expect(winner?.droppedAfter).toBeNull()
    expect(race.candidates.filter((c) => c.droppedAfter === null)).toHaveLength(1)
    expect(result.state.recipe).toEqual(winner?.recipe)
    expect(report.recipe).toEqual(winner?.recipe)
    // Continued, not restarted: every step of the run is the warm-up, the race, or the winner going on.
    const raced = race.candidates.reduce((a, c) => a + c.steps, 0)
    expect(race.steps).toBe(raced)
    expect(report.steps).toBe(race.warmupSteps + race.steps + result.state.epochs.length * (result.state.periodSteps ?? 0))
    // One checkpoint per period (with the averaged weights); at the end one more of the last weights when they
    // score better, and the best once more with flip averaging on when flips score better.
    const periods = result.state.epochs.map((e) => e.epoch)
    const extra = (report.ema?.used === false ? 1 : 0) + (report.tta?.used ? 1 : 0)
    expect(checkpoints.map((c) => c.epoch).slice(0, periods.length)).toEqual(periods)
    expect(checkpoints).toHaveLength(periods.length + extra)
    for (const c of checkpoints.slice(periods.length)) expect(c).toMatchObject({ isBest: true, epoch: result.state.best?.epoch })
    // Every checkpoint carries the run's whole epoch list (the stored run reads it from the newest).
    expect(checkpoints[checkpoints.length - 1].state.epochs).toHaveLength(periods.length)
    expect(report.ema).not.toBeNull()
    expect(report.tta?.tiles).toBeGreaterThan(0)
    if (report.tta?.used) expect(checkpoints[checkpoints.length - 1].state.tta).toBe(true)
    expect(report.stopReason).toBe('epochs')
    expect(report.validation?.mode).toBe('regions')
    expect(report.validationShare).toBeGreaterThan(0)
    expect(report.validationShare).toBeLessThan(1)
    expect(result.state.calibration).toHaveLength(2)
    expect(report.calibration?.after).toBeGreaterThanOrEqual(report.calibration?.before ?? 1)
    expect(result.state.epochs[result.state.epochs.length - 1].macroF1).toBeGreaterThan(0.8)
    expect(tf.memory().numTensors).toBe(before)
  }, 120_000)
})
