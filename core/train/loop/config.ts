/**
 * From what a caller asked for to a full TrainConfig: the preset (given, or recommended by the
 * project's measured class balance) fills the options the caller left out, and TrainConfig's defaults
 * fill the rest. Also the learning-rate schedule, which depends on the config only.
 */
import { presetConfig, TrainConfig, type Preset, type TrainConfigPatch } from '../../contract'

type PresetValues = Omit<TrainConfigPatch, 'preset'>

/** What each preset sets: the contract's presetConfig, shared with the Train view. */
export const PRESETS: Readonly<Record<Preset, PresetValues>> = {
  plain: presetConfig('plain'),
  balanced: presetConfig('balanced'),
  'rare-objects': presetConfig('rare-objects'),
}

/** Merges `patch` over the preset's values and applies TrainConfig's defaults. */
export function resolveTrainConfig(patch: TrainConfigPatch, recommended: Preset): TrainConfig {
  const preset = patch.preset ?? recommended
  const base = PRESETS[preset]
  return TrainConfig.parse({
    ...base,
    ...patch,
    preset,
    model: { ...patch.model },
    loss: { ...base.loss, ...patch.loss },
  })
}

/**
 * Learning rate of epoch `epoch` (0-based) of `epochs`: constant; cosine decay to 1% of the start;
 * or step decay (×0.1 at 60% and again at 85% of the epochs).
 */
export function learningRateAt(config: Pick<TrainConfig, 'learningRate' | 'schedule' | 'epochs'>, epoch: number): number {
  const lr = config.learningRate
  const n = Math.max(1, config.epochs)
  switch (config.schedule) {
    case 'constant':
      return lr
    case 'cosine': {
      const min = lr * 0.01
      return min + 0.5 * (lr - min) * (1 + Math.cos((Math.PI * Math.min(epoch, n - 1)) / n))
    }
    case 'step':
      return epoch >= 0.85 * n ? lr * 0.01 : epoch >= 0.6 * n ? lr * 0.1 : lr
  }
}
