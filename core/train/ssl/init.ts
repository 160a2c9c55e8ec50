/**
 * Where a new training run's weights start (TrainConfig.init): from scratch, from the project's newest
 * pretrained encoder (core/train/ssl pretraining), or from a previous run's best model. The last two
 * also fix the input normalisation to the one those weights were trained with, so the copied filters
 * see the inputs they learned on.
 */
import type * as tfl from '@tensorflow/tfjs-layers'
import { AppError, type TrainConfig } from '../../contract'
import type { ProjectStore } from '../../project'
import { deserialiseModel } from '../loop/checkpoint'
import type { Normalisation } from '../loop/normalisation'
import { RunRepo } from '../loop/run-repo'
import { encoderFits, loadPretrainedEncoder } from './pretrained'
import { PretrainRepo } from './pretrain-repo'

const FILE = 'core/train/ssl/init.ts'

/** How to initialise a fresh U-Net, and the input it expects. */
export interface ModelInit {
  /** Human-readable origin, for logs and the run list. */
  from: string
  channels: number | null
  normalisation: Normalisation | null
  /** Copies the initial weights into `model`; returns the names of the layers it set. */
  apply(model: tfl.LayersModel): Promise<string[]>
}

/**
 * Copies every weighted layer of `source` whose name and weight shapes `target` shares (all of them for
 * the same architecture; the class head is skipped when the class count changed). Returns their names.
 */
export function copyMatchingWeights(source: tfl.LayersModel, target: tfl.LayersModel): string[] {
  const copied: string[] = []
  const byName = new Map(target.layers.map((l) => [l.name, l]))
  for (const from of source.layers) {
    const to = byName.get(from.name)
    if (!to || from.weights.length === 0) continue
    const same = from.weights.length === to.weights.length && from.weights.every((w, i) => w.shape.join('x') === to.weights[i].shape.join('x'))
    if (!same) continue
    to.setWeights(from.getWeights())
    copied.push(from.name)
  }
  return copied
}

/** The initialisation `config.init` asks for; null for 'scratch'. NOT_FOUND / INVALID_INPUT say what is missing. */
export function modelInitFor(store: ProjectStore, config: Pick<TrainConfig, 'init' | 'model'>): ModelInit | null {
  const init = config.init
  if (init === 'scratch') return null
  if (init === 'pretrained') {
    const encoder = new PretrainRepo(store).encoder()
    if (!encoder) throw new AppError('NOT_FOUND', `${store.path} has no pretrained encoder yet: run labelloop pretrain (or "Pretrain on all images") first`)
    const m = config.model
    const want = { inChannels: encoder.spec.inChannels, depth: m.depth as 3 | 4 | 5, baseFilters: m.baseFilters, batchNorm: m.batchNorm }
    if (!encoderFits(encoder.spec, want)) {
      const s = encoder.spec
      throw new AppError('INVALID_INPUT', `${FILE}: the pretrained encoder is a depth-${s.depth}, width-${s.baseFilters}${s.batchNorm ? '' : ' (no batch norm)'} U-Net encoder; this run asks for depth ${m.depth}, width ${m.baseFilters}${m.batchNorm ? '' : ' (no batch norm)'}: use the same model options or pretrain again`)
    }
    return {
      from: 'pretrained encoder',
      channels: encoder.spec.inChannels,
      normalisation: encoder.normalisation,
      apply: (model) => loadPretrainedEncoder(model, encoder),
    }
  }
  const runs = new RunRepo(store)
  const checkpoint = runs.bestCheckpoint(init.runId)
  if (!checkpoint) throw new AppError('NOT_FOUND', `run ${init.runId} of ${store.path} has no checkpoint to start from`)
  return {
    from: `run ${init.runId} (epoch ${checkpoint.epoch})`,
    channels: checkpoint.state.model.inChannels,
    normalisation: checkpoint.state.normalisation,
    apply: async (model) => {
      const source = await deserialiseModel(checkpoint.model)
      try {
        return copyMatchingWeights(source, model)
      } finally {
        source.dispose()
      }
    },
  }
}
