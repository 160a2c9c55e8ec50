/**
 * The "Pretrain on all images" panel's logic as plain functions: the options it edits (a subset of
 * PretrainConfig, each with a one-line explanation), their validation, the text of a pretraining run's
 * summary, how a run's initialisation reads in the runs list, and how "Start from pretrained encoder"
 * changes a launcher configuration (the run's U-Net must have the encoder's shape to load it).
 */
import { PretrainConfig, type PretrainConfigInput, type PretrainSummary, type TrainConfig, type TrainProgress } from '../../../core/contract'

/** The options the panel edits; the rest of PretrainConfig keeps its defaults. */
export interface PretrainForm {
  epochs: number
  temperature: number
  tileSize: number
  batchSize: number
  /** Steps per epoch; null: every tile of the project once per epoch. */
  stepsPerEpoch: number | null
  depth: number
  baseFilters: number
}

export type PretrainField = keyof PretrainForm

/** One number field of the panel. */
export interface PretrainFieldSpec {
  key: PretrainField
  label: string
  help: string
  min: number
  max: number
  step: number
  nullable?: boolean
}

/** The panel's fields in display order. */
export const PRETRAIN_FIELDS: readonly PretrainFieldSpec[] = [
  { key: 'epochs', label: 'Epochs', help: 'Passes over the images; more learns more, slower.', min: 1, max: 1000, step: 1 },
  { key: 'temperature', label: 'Temperature', help: 'NT-Xent temperature; lower sharpens the contrast between tiles.', min: 0.01, max: 10, step: 0.05 },
  { key: 'tileSize', label: 'Tile size', help: 'Side of the crops, a multiple of 32; smaller is faster.', min: 32, max: 1024, step: 32 },
  { key: 'batchSize', label: 'Batch size', help: 'Tiles per step (two views each); larger gives more negatives.', min: 2, max: 64, step: 1 },
  { key: 'stepsPerEpoch', label: 'Steps per epoch', help: 'Empty: every tile once per epoch.', min: 1, max: 100_000, step: 1, nullable: true },
  { key: 'depth', label: 'Depth', help: 'U-Net levels; runs starting from the encoder use the same.', min: 3, max: 5, step: 1 },
  { key: 'baseFilters', label: 'Width', help: 'Filters of the first level; runs starting from it use the same.', min: 8, max: 64, step: 4 },
]

/** The form PretrainConfig's defaults give. */
export function defaultPretrainForm(): PretrainForm {
  const d = PretrainConfig.parse({})
  return {
    epochs: d.epochs,
    temperature: d.temperature,
    tileSize: d.tileSize,
    batchSize: d.batchSize,
    stepsPerEpoch: d.stepsPerEpoch,
    depth: d.model.depth,
    baseFilters: d.model.baseFilters,
  }
}

/** What `pretrain:start` receives for `form` (batch norm on, like TrainConfig's default model). */
export function pretrainInput(form: PretrainForm): PretrainConfigInput {
  return {
    epochs: form.epochs,
    temperature: form.temperature,
    tileSize: form.tileSize,
    batchSize: form.batchSize,
    stepsPerEpoch: form.stepsPerEpoch,
    model: { depth: form.depth, baseFilters: form.baseFilters, batchNorm: true },
  }
}

/** Problems of the form by field (PretrainConfig's own rules), empty when it can start. */
export function validatePretrainForm(form: PretrainForm): Partial<Record<PretrainField, string>> {
  const res = PretrainConfig.safeParse(pretrainInput(form))
  if (res.success) return {}
  const out: Partial<Record<PretrainField, string>> = {}
  for (const issue of res.error.issues) {
    const key = (issue.path[0] === 'model' ? issue.path[1] : issue.path[0]) as PretrainField
    out[key] ??= issue.message
  }
  return out
}

/** "2025-03-04 14:05" in local time, or the raw text when it is not a date. */
export function shortDate(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const two = (n: number): string => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`
}

/** The NT-Xent loss of the last completed epoch, or null before the first. */
export function finalLoss(run: PretrainSummary): number | null {
  return run.losses.length > 0 ? run.losses[run.losses.length - 1] : null
}

/**
 * One line about a pretraining run: "2025-03-04 14:05 · 2 epochs · final NT-Xent 3.412 · 40 images ·
 * U-Net 3×8", with its status when it did not complete.
 */
export function pretrainSummaryText(run: PretrainSummary): string {
  const when = shortDate(run.finishedAt ?? run.startedAt)
  const n = run.losses.length
  const loss = finalLoss(run)
  const parts = [
    when,
    `${n} epoch${n === 1 ? '' : 's'}`,
    loss === null ? 'no loss yet' : `final NT-Xent ${loss.toFixed(3)}`,
    `${run.images} image${run.images === 1 ? '' : 's'}`,
    `U-Net ${run.config.model.depth}×${run.config.model.baseFilters}`,
  ]
  if (run.status !== 'completed') parts.push(run.error ? `${run.status}: ${run.error}` : run.status)
  return parts.join(' · ')
}

/** How a run's initial weights read in the runs list: "scratch", "pretrained" or "from run #N". */
export function initText(init: TrainConfig['init']): string {
  return typeof init === 'string' ? init : `from run #${init.runId}`
}

/** The model shape of an encoder, as TrainConfig's model fields it fixes. */
export type EncoderShape = PretrainSummary['config']['model']

/**
 * The launcher configuration with "Start from pretrained encoder" on (init 'pretrained' and the
 * encoder's depth, width and batch norm, which the run must share to load it) or off (back to scratch;
 * a previous run as the start is kept).
 */
export function withPretrainedInit(config: TrainConfig, on: boolean, encoder: EncoderShape): TrainConfig {
  if (!on) return config.init === 'pretrained' ? { ...config, init: 'scratch' } : config
  return {
    ...config,
    init: 'pretrained',
    model: { ...config.model, depth: encoder.depth, baseFilters: encoder.baseFilters, batchNorm: encoder.batchNorm },
  }
}

/** Why a run starting from the pretrained encoder could not load it (its model differs), or null. */
export function encoderMismatch(config: TrainConfig, encoder: EncoderShape | null): string | null {
  if (config.init !== 'pretrained') return null
  if (!encoder) return 'There is no pretrained encoder yet: pretrain on all images first.'
  const m = config.model
  if (m.depth === encoder.depth && m.baseFilters === encoder.baseFilters && m.batchNorm === encoder.batchNorm) return null
  return `The pretrained encoder is a U-Net ${encoder.depth}×${encoder.baseFilters}${encoder.batchNorm ? '' : ' without batch norm'}; this run asks for ${m.depth}×${m.baseFilters}${m.batchNorm ? '' : ' without batch norm'}.`
}

/**
 * The encoder runs start from after reading `latest`: the latest run when it stored one, else the one
 * known before (a newer run cancelled or failed leaves the older encoder in use), else none.
 */
export function knownEncoder(latest: PretrainSummary | null, before: PretrainSummary | null): PretrainSummary | null {
  if (latest?.hasEncoder) return latest
  if (latest && before?.hasEncoder && before.id < latest.id) return before
  return null
}

/** Share (0..1) of a pretraining done at `p`: finished epochs plus the current one's steps. */
export function pretrainFraction(p: Pick<TrainProgress, 'phase' | 'epoch' | 'epochs' | 'batch' | 'batches'>): number {
  if (p.epochs <= 0) return 0
  if (p.phase === 'saving') return 1
  if (p.phase !== 'training' || p.epoch < 1) return 0
  const inEpoch = p.batches > 0 ? Math.min(1, p.batch / p.batches) : 0
  return Math.min(1, (p.epoch - 1 + inEpoch) / p.epochs)
}
