/**
 * A pretrained encoder as plain data: the encoder sub-model serialised the way training checkpoints
 * are (core/train/loop/checkpoint: tfjs topology JSON + one weight buffer), with the U-Net shape it
 * fits and the input normalisation it was trained with. {@link loadPretrainedEncoder} puts its weights
 * into a fresh U-Net by layer name.
 */
import type * as tfl from '@tensorflow/tfjs-layers'
import { deserialiseModel, serialiseModel, type SerialisedModel } from '../loop/checkpoint'
import type { Normalisation } from '../loop/normalisation'
import { copyEncoderWeights, type EncoderSpec } from './encoder'

/** What pretraining produces and the project stores. */
export interface PretrainedEncoder {
  spec: EncoderSpec
  /** The encoder (input → bottleneck) as tfjs topology + weights. */
  model: SerialisedModel
  /** Per-channel normalisation of the pixels it was trained on. */
  normalisation: Normalisation | null
  tileSize: number
  temperature: number
  epochs: number
  /** Mean NT-Xent of each completed epoch. */
  losses: number[]
  seconds: number
}

/** Serialises an encoder model for {@link PretrainedEncoder.model}. */
export function serialiseEncoder(encoder: tfl.LayersModel): Promise<SerialisedModel> {
  return serialiseModel(encoder)
}

/**
 * Copies a pretrained encoder's weights into `unet` by layer name (the decoder and heads keep theirs)
 * and returns the copied layers' names. INVALID_INPUT when the U-Net's encoder differs in shape.
 */
export async function loadPretrainedEncoder(unet: tfl.LayersModel, weights: Pick<PretrainedEncoder, 'model'>): Promise<string[]> {
  const encoder = await deserialiseModel(weights.model)
  try {
    return copyEncoderWeights(encoder, unet)
  } finally {
    encoder.dispose()
  }
}

/** Whether a U-Net with these options can take the encoder's weights. */
export function encoderFits(spec: EncoderSpec, unet: Pick<EncoderSpec, 'inChannels' | 'depth' | 'baseFilters' | 'batchNorm'>): boolean {
  return spec.inChannels === unet.inChannels && spec.depth === unet.depth && spec.baseFilters === unet.baseFilters && spec.batchNorm === unet.batchNorm
}
