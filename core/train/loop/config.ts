/**
 * From what a caller asked for to a full TrainConfig: the preset (given, or recommended by the
 * project's measured class balance) fills the options the caller left out, and TrainConfig's defaults
 * fill the rest. (The learning-rate schedule is core/train/loop/budget.)
 */
import { presetConfig, TrainConfig, type Preset, type TrainConfigPatch } from '../../contract'

type PresetValues = Omit<TrainConfigPatch, 'preset'>

/** What each preset sets: the contract's presetConfig, shared with the Train view. */
export const PRESETS: Readonly<Record<Preset, PresetValues>> = {
  auto: presetConfig('auto'),
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
 * The preset a caller who named none gets: `auto` (race the recipes on the project) unless the caller
 * set a recipe option (loss, weights, sampling, crops, copy-paste), in which case the preset the class
 * balance recommends fills the options left out, as before.
 */
export function defaultPreset(patch: TrainConfigPatch, recommended: Preset): Preset {
  if (patch.preset) return patch.preset
  const recipeGiven = patch.loss?.name !== undefined || patch.loss?.classWeights !== undefined || patch.sampling !== undefined || patch.rareCrop !== undefined || patch.copyPaste !== undefined
  return recipeGiven ? recommended : 'auto'
}
