import { describe, expect, it } from 'vitest'
import { Preset, presetConfig, TrainConfig, TrainConfigPatch } from './train'

describe('presetConfig', () => {
  it('gives a valid patch for every preset that names its preset', () => {
    for (const preset of Preset.options) {
      const patch = presetConfig(preset)
      expect(TrainConfigPatch.parse(patch)).toEqual(patch)
      expect(TrainConfig.parse(patch).preset).toBe(preset)
    }
  })

  it('sets the losses and sampling each preset promises', () => {
    const balanced = TrainConfig.parse(presetConfig('balanced'))
    expect([balanced.loss.name, balanced.loss.classWeights, balanced.sampling]).toEqual(['ce-dice', 'median', 'class-aware'])
    expect(balanced.copyPaste).toBeGreaterThan(0)
    const rare = TrainConfig.parse(presetConfig('rare-objects'))
    expect([rare.loss.name, rare.sampling]).toEqual(['focal', 'class-aware'])
    expect(rare.copyPaste).toBeGreaterThan(balanced.copyPaste)
    const plain = TrainConfig.parse(presetConfig('plain'))
    expect([plain.loss.name, plain.loss.classWeights, plain.sampling, plain.copyPaste]).toEqual(['ce', 'none', 'uniform', 0])
  })

  it('returns a fresh object each call, so callers may edit it', () => {
    const a = presetConfig('balanced')
    a.loss = { name: 'dice' }
    expect(presetConfig('balanced').loss?.name).toBe('ce-dice')
  })
})
