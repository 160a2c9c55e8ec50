/**
 * The U-Net's contracting path as a model of its own, for self-supervised pretraining: a U-Net is
 * built with createUNet and the encoder is the sub-graph from its input to the bottleneck, so the
 * encoder's layers ARE U-Net layers with the U-Net's names (enc0_conv1, enc0_bn1, …, bottleneck_conv2).
 * Weights then move into any U-Net of the same shape by layer name ({@link copyEncoderWeights}), and
 * the decoder is never touched. SimCLR's projection head (global average pooling, then a 2-layer MLP)
 * sits on top of the bottleneck during pretraining only and is thrown away afterwards.
 */
import * as tfl from '@tensorflow/tfjs-layers'
import { AppError } from '../../contract'
import { createUNet } from '../model/unet'

const FILE = 'core/train/ssl/encoder.ts'

/** The U-Net options the encoder depends on (the decoder and class count do not matter to it). */
export interface EncoderSpec {
  inChannels: number
  depth: 3 | 4 | 5
  baseFilters: number
  batchNorm: boolean
  /** Batch-norm momentum during pretraining (default: createUNet's). */
  batchNormMomentum?: number
}

/** The models of SimCLR pretraining; all share the same layer objects. */
export interface SimClrModels {
  /** Image → bottleneck feature map [N, H/2^depth, W/2^depth, baseFilters·2^depth]. */
  encoder: tfl.LayersModel
  /** Image → projection z [N, projectionDim] (encoder, global average pooling, MLP). */
  projector: tfl.LayersModel
  /** Names of the encoder's layers that hold weights, in graph order. */
  encoderLayers: string[]
  /** Frees every model's weights (the hidden U-Net's decoder included). */
  dispose(): void
}

/** Options of {@link createSimClrModels}. */
export interface SimClrOptions {
  /** Width of the MLP's hidden layer (default: the bottleneck's channels). */
  hiddenDim?: number
  /** Dimension of z (default 64). */
  projectionDim?: number
  seed?: number
}

/** The bottleneck output of a U-Net built by createUNet (the input of the deepest upsampling). */
export function bottleneckOutput(unet: tfl.LayersModel, depth: number): tfl.SymbolicTensor {
  let up: tfl.layers.Layer
  try {
    up = unet.getLayer(`dec${depth - 1}_up`)
  } catch {
    throw new AppError('INVALID_INPUT', `${FILE}: model "${unet.name}" has no layer dec${depth - 1}_up; is it a depth-${depth} U-Net from createUNet?`)
  }
  return up.input as tfl.SymbolicTensor
}

/** Names of the layers with weights between a model's inputs and `output`. */
function weightedLayers(model: tfl.LayersModel): string[] {
  return model.layers.filter((l) => l.weights.length > 0).map((l) => l.name)
}

/** Builds the encoder (sharing a fresh U-Net's layers) and the projector on top of it. */
export function createSimClrModels(spec: EncoderSpec, opts: SimClrOptions = {}): SimClrModels {
  const unet = createUNet({ ...spec, numClasses: 1, dropout: 0, seed: opts.seed })
  const features = bottleneckOutput(unet, spec.depth)
  const encoder = tfl.model({ inputs: unet.inputs, outputs: features, name: 'unet_encoder' })
  const channels = features.shape[3] as number
  const seed = opts.seed === undefined ? undefined : opts.seed * 7 + 1
  const init = (k: number): ReturnType<typeof tfl.initializers.glorotUniform> => tfl.initializers.glorotUniform(seed === undefined ? {} : { seed: seed + k })
  const head = [
    tfl.layers.globalAveragePooling2d({ name: 'ssl_pool' }),
    tfl.layers.dense({ units: opts.hiddenDim ?? channels, activation: 'relu', kernelInitializer: init(1), name: 'ssl_head_hidden' }),
    tfl.layers.dense({ units: opts.projectionDim ?? 64, kernelInitializer: init(2), name: 'ssl_head_out' }),
  ]
  const z = head.reduce((x, layer) => layer.apply(x) as tfl.SymbolicTensor, features)
  const projector = tfl.model({ inputs: unet.inputs, outputs: z, name: 'simclr' })
  return {
    encoder,
    projector,
    encoderLayers: weightedLayers(encoder),
    dispose() {
      // tfjs-layers counts a layer's references per symbolic call, not per model, so the shared layers
      // are freed once through the U-Net and the head's layers on their own.
      unet.dispose()
      for (const layer of head) layer.dispose()
    },
  }
}

/**
 * Copies the weights of every weighted layer of `source` into the layer of the same name in
 * `target` (a U-Net): the encoder's convolutions and batch norms, moving statistics included. Layers
 * of `target` that `source` lacks (the decoder, the heads) keep their weights. Throws INVALID_INPUT
 * when a layer is missing from `target` or its weight shapes differ (another depth, width or band
 * count). Returns the copied layers' names.
 */
export function copyEncoderWeights(source: tfl.LayersModel, target: tfl.LayersModel): string[] {
  const names = weightedLayers(source)
  const plan = names.map((name) => {
    let to: tfl.layers.Layer
    try {
      to = target.getLayer(name)
    } catch {
      throw new AppError('INVALID_INPUT', `${FILE}: the pretrained encoder has layer ${name}, which model "${target.name}" lacks`)
    }
    const from = source.getLayer(name)
    const a = from.weights.map((w) => w.shape.join('x'))
    const b = to.weights.map((w) => w.shape.join('x'))
    if (a.join(',') !== b.join(',')) {
      throw new AppError('INVALID_INPUT', `${FILE}: layer ${name} has weights [${a.join(', ')}] in the pretrained encoder but [${b.join(', ')}] in model "${target.name}" (different depth, width or bands)`)
    }
    return { from, to }
  })
  for (const { from, to } of plan) {
    const values = from.getWeights()
    to.setWeights(values)
  }
  return names
}
