/**
 * Every engine option the Advanced panel edits, each with a label, a one-line explanation and its input
 * kind, as data: the panel renders this list, and a test checks that it covers every TrainConfig field,
 * so a new engine option cannot silently miss the UI. Values are read and written by dotted path.
 */
import { TrainConfig, TrainConfigPatch, type Preset } from '../../../core/contract'
import { presetConfig } from '../../../core/contract'

export type OptionInput =
  | { kind: 'number'; min: number; max: number; step: number; nullable?: boolean }
  | { kind: 'select'; choices: ReadonlyArray<{ value: string; label: string }> }
  | { kind: 'boolean' }
  | { kind: 'init' }

export interface OptionSpec {
  /** Dotted path into TrainConfig, e.g. "loss.focalGamma". */
  path: string
  label: string
  help: string
  group: 'Schedule' | 'Model' | 'Loss' | 'Data' | 'Optimiser' | 'Run'
  input: OptionInput
}

const choices = (...values: string[]): OptionInput => ({ kind: 'select', choices: values.map((v) => ({ value: v, label: v })) })
const num = (min: number, max: number, step: number, nullable = false): OptionInput => ({ kind: 'number', min, max, step, nullable })

/** The Advanced panel's fields, grouped and in display order. */
export const OPTIONS: readonly OptionSpec[] = [
  { path: 'epochs', group: 'Schedule', label: 'Epochs', help: 'Passes over the training images; more can help until validation stops improving.', input: num(1, 1000, 1) },
  { path: 'minutes', group: 'Schedule', label: 'Minutes budget', help: 'Train for this long: the learning-rate schedule runs over it and Epochs is ignored (empty: no limit).', input: num(0.1, 1440, 1, true) },
  { path: 'patience', group: 'Schedule', label: 'Patience', help: 'Epochs (at least 200 steps) with neither the stop metric nor the validation loss improving before stopping early, never before 40 % of the budget (0: never).', input: num(0, 1000, 1) },
  { path: 'stopMetric', group: 'Schedule', label: 'Stop metric', help: 'What "best epoch", the recipe race and the decision biases judge by; macro-F1 treats rare classes fairly, rareIoU looks at the rarest class only.', input: choices('macroF1', 'mIoU', 'rareIoU', 'valLoss') },
  { path: 'validationFraction', group: 'Schedule', label: 'Validation fraction', help: 'Share of labeled images (or of the rows of every image, with region validation) held out to measure the model.', input: num(0, 0.5, 0.05) },
  { path: 'validation', group: 'Schedule', label: 'Validation', help: 'images holds out whole images; regions a band of every image, so few labels are not lost to validation; auto picks regions under 12 labeled images.', input: choices('auto', 'images', 'regions') },
  { path: 'ema', group: 'Optimiser', label: 'Weight averaging', help: 'Validate and keep a moving average of the weights (kept only when it scores better than the last weights).', input: { kind: 'boolean' } },
  { path: 'calibrate', group: 'Run', label: 'Calibrate decisions', help: 'Fit a per-class bias on validation so a model that over- or under-predicts a class gets its threshold right; used in prediction.', input: { kind: 'boolean' } },
  { path: 'tileSize', group: 'Data', label: 'Tile size', help: 'Side of the square crops the model trains on (multiple of 32); smaller is faster.', input: num(32, 1024, 32) },
  { path: 'batchSize', group: 'Data', label: 'Batch size', help: 'Tiles per training step; larger is steadier but needs more memory.', input: num(1, 64, 1) },
  { path: 'sampling', group: 'Data', label: 'Sampling', help: 'class-aware picks images holding rare classes more often; uniform picks all alike.', input: choices('class-aware', 'uniform') },
  { path: 'rareCrop', group: 'Data', label: 'Rare crop', help: 'Chance that a tile is centred on a pixel of the rarest class it contains.', input: num(0, 1, 0.05) },
  { path: 'copyPaste', group: 'Data', label: 'Copy-paste', help: 'Chance of pasting rare-class objects from other images into a tile.', input: num(0, 1, 0.05) },
  { path: 'augment', group: 'Data', label: 'Augment', help: 'Random flips, rotations and colour changes: none, light or strong.', input: choices('none', 'light', 'strong') },
  { path: 'semi', group: 'Data', label: 'Learn from unlabeled images', help: "Consistency training: the moving-average teacher's confident pixels of the unlabeled images become targets for strongly augmented views of them. Off by default: on real data it has not yet beaten labeled-only training beyond run-to-run noise.", input: { kind: 'boolean' } },
  { path: 'pseudoUnreviewedWeight', group: 'Data', label: 'Unreviewed pseudo-labels', help: 'Weight of confident pseudo-labels not yet reviewed (0 leaves them out of training).', input: num(0, 1, 0.05) },
  { path: 'model.depth', group: 'Model', label: 'Depth', help: 'U-Net levels (3–5); deeper sees more context but is slower.', input: num(3, 5, 1) },
  { path: 'model.baseFilters', group: 'Model', label: 'Width', help: 'Filters of the first level, doubled at each level; wider learns more, slower.', input: num(8, 64, 4) },
  { path: 'model.dropout', group: 'Model', label: 'Dropout', help: 'Share of features dropped while training; fights overfitting, enables uncertainty.', input: num(0, 0.7, 0.05) },
  { path: 'model.batchNorm', group: 'Model', label: 'Batch norm', help: 'Normalise features per batch; trains faster and steadier with batches of 4 or more.', input: { kind: 'boolean' } },
  { path: 'loss.name', group: 'Loss', label: 'Loss', help: 'ce: cross-entropy; focal: focuses on hard pixels; dice: overlap; ohem: hardest pixels only.', input: choices('ce', 'weighted-ce', 'focal', 'dice', 'ce-dice', 'ohem') },
  { path: 'loss.classWeights', group: 'Loss', label: 'Class weights', help: 'How rare classes are weighted up: by inverse, median or effective-number frequency.', input: choices('none', 'inverse', 'median', 'effective') },
  { path: 'loss.focalGamma', group: 'Loss', label: 'Focal gamma', help: 'How strongly focal loss ignores easy pixels (0 = cross-entropy; 2 is usual).', input: num(0, 5, 0.5) },
  { path: 'loss.ohemTopK', group: 'Loss', label: 'OHEM top-k', help: 'Share of labeled pixels, the hardest ones, that OHEM trains on.', input: num(0.01, 1, 0.05) },
  { path: 'loss.ohemMinPixels', group: 'Loss', label: 'OHEM min pixels', help: 'OHEM keeps at least this many hardest pixels per batch.', input: num(1, 1_000_000, 256) },
  { path: 'loss.dynamicWeights', group: 'Loss', label: 'Dynamic weights', help: 'Re-weight classes from a running average of the batches\u2019 class counts.', input: { kind: 'boolean' } },
  { path: 'loss.uncertaintyWeighting', group: 'Loss', label: 'Uncertainty weighting', help: 'Learn how much each loss term counts instead of fixing it.', input: { kind: 'boolean' } },
  { path: 'loss.boundaryHead', group: 'Loss', label: 'Boundary head', help: 'Also predict class borders, which sharpens edges between touching classes.', input: { kind: 'boolean' } },
  { path: 'loss.pixelContrast', group: 'Loss', label: 'Pixel contrast', help: 'Weight of a contrastive loss pulling same-class pixel features together (0: off).', input: num(0, 10, 0.1) },
  { path: 'learningRate', group: 'Optimiser', label: 'Learning rate', help: 'Step size of the Adam optimiser; lower if the loss jumps around.', input: num(0.00001, 1, 0.0001) },
  { path: 'schedule', group: 'Optimiser', label: 'Schedule', help: 'How the learning rate changes over the epochs: constant, cosine decay or steps.', input: choices('constant', 'cosine', 'step') },
  { path: 'backend', group: 'Run', label: 'Backend', help: 'Where the maths runs; auto picks the fastest that works on this machine.', input: choices('auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu') },
  { path: 'workers', group: 'Run', label: 'Workers', help: 'Threads that each train on a share of every batch (CPU backends); 0 picks one per core.', input: num(0, 16, 1) },
  { path: 'seed', group: 'Run', label: 'Seed', help: 'Random seed of splits, sampling and initial weights; same seed, same run.', input: num(0, 2 ** 31 - 1, 1) },
  { path: 'init', group: 'Run', label: 'Initial weights', help: 'Start from scratch, from self-supervised pretraining, or from an earlier run.', input: { kind: 'init' } },
]

type Tree = Record<string, unknown>

/** The value at `path` in `config`. */
export function getOption(config: TrainConfig, path: string): unknown {
  let node: unknown = config
  for (const key of path.split('.')) node = (node as Tree | undefined)?.[key]
  return node
}

/** A copy of `config` with `value` at `path` (nested objects copied, not shared). */
export function setOption(config: TrainConfig, path: string, value: unknown): TrainConfig {
  const keys = path.split('.')
  const root: Tree = { ...config }
  let node = root
  keys.slice(0, -1).forEach((k) => {
    const child: Tree = { ...(node[k] as Tree) }
    node[k] = child
    node = child
  })
  node[keys[keys.length - 1]] = value
  return root as TrainConfig
}

/** The full configuration a preset gives, as the Advanced panel starts from. */
export function presetDefaults(preset: Preset): TrainConfig {
  return TrainConfig.parse(presetConfig(preset))
}

/** Problems of an edited configuration by option path ("" for ones without a field), empty when valid. */
export function validateOptions(config: TrainConfig): Record<string, string> {
  const res = TrainConfigPatch.safeParse(config)
  if (res.success) return {}
  const out: Record<string, string> = {}
  for (const issue of res.error.issues) out[issue.path.join('.')] ??= issue.message
  return out
}

/**
 * What Train sends: only the preset when the options are the preset's own, otherwise every option, so
 * the run is exactly what the panel shows.
 */
export function startPatch(preset: Preset, config: TrainConfig): TrainConfigPatch {
  const base = presetDefaults(preset)
  return JSON.stringify(base) === JSON.stringify({ ...config, preset }) ? { preset } : { ...config, preset }
}
