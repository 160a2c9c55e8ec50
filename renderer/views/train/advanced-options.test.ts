import { describe, expect, it } from 'vitest'
import { TrainConfig } from '../../../core/contract'
import { getOption, OPTIONS, presetDefaults, setOption, startPatch, validateOptions } from './advanced-options'

/** Dotted paths of every leaf of a TrainConfig (objects descended into, except `init`'s run form). */
function leaves(value: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(value).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? leaves(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  )
}

describe('advanced options', () => {
  it('cover every TrainConfig option except the preset, each once with an explanation', () => {
    const paths = OPTIONS.map((o) => o.path)
    expect(new Set(paths).size).toBe(paths.length)
    const all = leaves(TrainConfig.parse({})).filter((p) => p !== 'preset')
    expect([...paths].sort()).toEqual(all.sort())
    for (const o of OPTIONS) expect(o.help.length).toBeGreaterThan(20)
  })

  it('reads and writes nested values without touching the original', () => {
    const c = presetDefaults('balanced')
    const d = setOption(c, 'loss.focalGamma', 3.5)
    expect(getOption(d, 'loss.focalGamma')).toBe(3.5)
    expect(getOption(c, 'loss.focalGamma')).toBe(2)
    expect(d.model).toBe(c.model)
    expect(getOption(setOption(c, 'epochs', 2), 'epochs')).toBe(2)
  })

  it('reports invalid values by path', () => {
    const bad = setOption(setOption(presetDefaults('plain'), 'tileSize', 100), 'model.depth', 9)
    expect(Object.keys(validateOptions(bad)).sort()).toEqual(['model.depth', 'tileSize'])
    expect(validateOptions(presetDefaults('plain'))).toEqual({})
  })

  it('sends only the preset when nothing was changed, and every option otherwise', () => {
    expect(startPatch('rare-objects', presetDefaults('rare-objects'))).toEqual({ preset: 'rare-objects' })
    const edited = setOption(presetDefaults('balanced'), 'epochs', 2)
    const patch = startPatch('balanced', edited)
    expect(patch.epochs).toBe(2)
    expect(patch.preset).toBe('balanced')
    expect(patch.loss?.name).toBe('ce-dice')
  })
})
