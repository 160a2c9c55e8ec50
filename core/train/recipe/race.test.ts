import { describe, expect, it } from 'vitest'
import type { RecipeOptions } from '../../contract'
import { accumulate, computeBalance } from '../../balance'
import { leadWith, raceCandidates, withRecipe } from './candidates'
import { raceSteps, runRace, type RaceHooks } from './race'
import { TrainConfig } from '../../contract'

const R: RecipeOptions = { loss: 'ce', classWeights: 'none', sampling: 'uniform', rareCrop: 0, copyPaste: 0 }
const cand = (key: string) => ({ key, label: key, recipe: R })
/** Class statistics of one image with these pixel counts per class. */
const statsOf = (counts: number[]) => computeBalance(accumulate([{ counts }], counts.length).totals())

/** A fake contender whose score after n steps is `quality × n`, so the best quality wins. */
interface Fake {
  key: string
  steps: number
  quality: number
  dropped: boolean
}

function hooks(quality: Record<string, number>, cancelAfter = Infinity): RaceHooks<Fake> & { spawned: Fake[] } {
  const spawned: Fake[] = []
  let trained = 0
  return {
    spawned,
    spawn: async (c) => {
      const f = { key: c.key, steps: 0, quality: quality[c.key], dropped: false }
      spawned.push(f)
      return f
    },
    train: async (f, steps) => {
      if (++trained > cancelAfter) return false
      f.steps += steps
      return true
    },
    score: async (f) => f.quality * f.steps,
    drop: (f) => {
      f.dropped = true
    },
  }
}

describe('the recipe race', () => {
  it('halves the field each rung and hands back the winner itself, trained, not a fresh copy', async () => {
    const h = hooks({ a: 1, b: 3, c: 2, d: 0.5, e: 2.5 })
    const result = await runRace(['a', 'b', 'c', 'd', 'e'].map(cand), 4, h)
    expect(result).not.toBeNull()
    const r = result as NonNullable<typeof result>
    expect(r.candidate.key).toBe('b')
    // The winner is the contender that trained in every rung (5 → 3 → 2 → 1: three rungs of 4 steps).
    expect(r.winner).toBe(h.spawned.find((f) => f.key === 'b'))
    expect(r.winner.steps).toBe(12)
    expect(r.winner.dropped).toBe(false)
    expect(h.spawned.filter((f) => f.dropped).map((f) => f.key).sort()).toEqual(['a', 'c', 'd', 'e'])
    const rows = Object.fromEntries(r.standings.map((s) => [s.key, s]))
    expect(rows.d.droppedAfter).toBe(1)
    expect(rows.a.droppedAfter).toBe(1)
    expect(rows.c.droppedAfter).toBe(2)
    expect(rows.e.droppedAfter).toBe(3)
    expect(rows.b.scores).toEqual([12, 24, 36])
    expect(r.margin).toBeCloseTo(36 - 30)
    expect(raceSteps(5, 4)).toBe(h.spawned.reduce((a, f) => a + f.steps, 0))
  })

  it('breaks ties by the prior order and says when the margin is within the noise', async () => {
    const r = await runRace(['x', 'y'].map(cand), 2, hooks({ x: 1, y: 1 }))
    expect(r?.candidate.key).toBe('x')
    expect(r?.clear).toBe(false)
    expect(r?.reason).toMatch(/not clear/)
  })

  it('never calls a one-rung win clear: there is no noise to compare the margin with', async () => {
    const r = await runRace(['x', 'y'].map(cand), 2, hooks({ x: 2, y: 1 }))
    expect(r?.candidate.key).toBe('x')
    expect(r?.clear).toBe(false)
    expect(r?.reason).toMatch(/single rung, with no measure of the noise/)
  })

  it('drops every contender when cancelled', async () => {
    const h = hooks({ a: 1, b: 2, c: 3 }, 2)
    expect(await runRace(['a', 'b', 'c'].map(cand), 2, h)).toBeNull()
    expect(h.spawned.every((f) => f.dropped)).toBe(true)
  })

  it('orders candidates by the share rule and adds copy-paste variants only when a class is under 1 %', () => {
    const balanced = statsOf([800, 150, 50])
    const keys = raceCandidates(balanced).map((c) => c.key)
    expect(keys).toEqual(['weighted-ce', 'ce-dice', 'ce+crop', 'ce', 'focal', 'ohem'])
    const rare = raceCandidates(statsOf([9950, 50]))
    expect(rare).toHaveLength(12)
    expect(rare[0].key).toBe('focal')
    expect(rare[1]).toMatchObject({ key: 'focal+paste', recipe: { copyPaste: 0.5 } })
    // A later run starts from the project's last winner.
    expect(leadWith(raceCandidates(balanced), 'focal').map((c) => c.key)).toEqual(['focal', 'weighted-ce', 'ce-dice', 'ce+crop', 'ce', 'ohem'])
    expect(leadWith(raceCandidates(balanced), 'gone').map((c) => c.key)).toEqual(keys)
    const config = withRecipe(TrainConfig.parse({}), rare[1].recipe)
    expect(config.loss.name).toBe('focal')
    expect(config.copyPaste).toBe(0.5)
  })
})
