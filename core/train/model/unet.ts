/**
 * The U-Net family LabelLoop trains: an encoder of `depth` levels (two conv3x3 → batch norm → ReLU
 * blocks, then 2x2 max-pooling), a bottleneck, and a decoder that upsamples by nearest neighbour
 * ([2, 2]; a bare `2` gives NaN shapes in tfjs-layers 4.22), joins the encoder's skip connection
 * (as a split convolution, equal to convolving the concatenation) and applies the same block. The output is per-pixel logits (no softmax; losses apply
 * it), so any loss in the registry can be used. Dropout sits after the bottleneck and every decoder
 * block so Monte-Carlo dropout can estimate uncertainty at prediction time.
 */
import * as tfl from '@tensorflow/tfjs-layers'
import { AppError } from '../../contract/errors'
import { FastBatchNorm } from './batch-norm'

/** Options for {@link createUNet}. */
export interface UNetOptions {
  /** Bands of the input image (3 for RGB, more for multispectral). */
  inChannels: number
  /** Classes, i.e. logit channels of the segmentation output. */
  numClasses: number
  /** Number of 2x2 poolings; input height and width must be divisible by 2^depth. */
  depth: 3 | 4 | 5
  /** Filters of the first level (8–64); each level doubles it. */
  baseFilters: number
  /** Dropout rate after the bottleneck and each decoder block (0 or absent: none). */
  dropout?: number
  /** Batch normalisation after every convolution (default true). */
  batchNorm?: boolean
  /**
   * Momentum of the batch-norm moving statistics (default 0.99). Small projects train few steps per
   * epoch; a lower momentum lets the inference statistics catch up with the weights.
   */
  batchNormMomentum?: number
  /** Adds a second output: one channel of boundary logits, for an auxiliary boundary loss. */
  auxBoundaryHead?: boolean
  /** Seeds the weight initialisers, so the same options build the same weights (for `--seed`). */
  seed?: number
  /** Spatial size fixed in the model's input shape; absent: any size divisible by 2^depth. */
  inputSize?: [number, number]
}

const FILE = 'core/train/model/unet.ts'

function check(opts: UNetOptions): void {
  const problems: string[] = []
  if (!Number.isInteger(opts.inChannels) || opts.inChannels < 1) problems.push(`inChannels must be a positive integer, got ${opts.inChannels}`)
  if (!Number.isInteger(opts.numClasses) || opts.numClasses < 1) problems.push(`numClasses must be a positive integer, got ${opts.numClasses}`)
  if (![3, 4, 5].includes(opts.depth)) problems.push(`depth must be 3, 4 or 5, got ${opts.depth}`)
  if (!Number.isInteger(opts.baseFilters) || opts.baseFilters < 8 || opts.baseFilters > 64) problems.push(`baseFilters must be an integer in 8..64, got ${opts.baseFilters}`)
  if (opts.dropout !== undefined && !(opts.dropout >= 0 && opts.dropout < 1)) problems.push(`dropout must be in [0, 1), got ${opts.dropout}`)
  const unit = 2 ** opts.depth
  if (opts.inputSize && opts.inputSize.some((s) => !Number.isInteger(s) || s <= 0 || s % unit !== 0)) {
    problems.push(`inputSize ${opts.inputSize.join('x')} must be divisible by 2^depth = ${unit}`)
  }
  if (problems.length > 0) throw new AppError('INVALID_INPUT', `${FILE}: ${problems.join('; ')}`)
}

/** He-normal initialiser (right for ReLU), seeded per layer when a seed is given. */
class Init {
  private count = 0
  constructor(private readonly seed: number | undefined) {}
  next(): ReturnType<typeof tfl.initializers.heNormal> {
    this.count++
    return tfl.initializers.heNormal(this.seed === undefined ? {} : { seed: this.seed * 1000 + this.count })
  }
}

function conv3x3(filters: number, useBias: boolean, name: string, init: Init): tfl.layers.Layer {
  return tfl.layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias, kernelInitializer: init.next(), name })
}

/**
 * conv3x3 → (BN) → ReLU, twice. Bias is dropped when batch norm follows (BN's beta replaces it).
 * Given a pair [upsampled, skip], the first convolution is conv(up) + conv(skip): exactly a
 * convolution of their channel concatenation, split by input channels, which saves the concat
 * and the slices of its gradient (both slow on wasm).
 */
function block(x: tfl.SymbolicTensor | [tfl.SymbolicTensor, tfl.SymbolicTensor], filters: number, name: string, batchNorm: boolean, init: Init, momentum?: number): tfl.SymbolicTensor {
  let y: tfl.SymbolicTensor
  if (Array.isArray(x)) {
    const up = conv3x3(filters, false, `${name}_conv1_up`, init).apply(x[0]) as tfl.SymbolicTensor
    const skip = conv3x3(filters, !batchNorm, `${name}_conv1_skip`, init).apply(x[1]) as tfl.SymbolicTensor
    y = tfl.layers.add({ name: `${name}_conv1` }).apply([up, skip]) as tfl.SymbolicTensor
  } else {
    y = conv3x3(filters, !batchNorm, `${name}_conv1`, init).apply(x) as tfl.SymbolicTensor
  }
  for (const i of [1, 2]) {
    if (i === 2) y = conv3x3(filters, !batchNorm, `${name}_conv2`, init).apply(y) as tfl.SymbolicTensor
    if (batchNorm) y = new FastBatchNorm({ name: `${name}_bn${i}`, momentum }).apply(y) as tfl.SymbolicTensor
    y = tfl.layers.reLU({ name: `${name}_relu${i}` }).apply(y) as tfl.SymbolicTensor
  }
  return y
}

function maybeDropout(x: tfl.SymbolicTensor, rate: number, name: string): tfl.SymbolicTensor {
  return rate > 0 ? (tfl.layers.dropout({ rate, name }).apply(x) as tfl.SymbolicTensor) : x
}

/**
 * Builds an uncompiled U-Net. Outputs `[N, H, W, numClasses]` logits, plus `[N, H, W, 1]` boundary
 * logits as a second output when `auxBoundaryHead` is set.
 */
export function createUNet(opts: UNetOptions): tfl.LayersModel {
  check(opts)
  const batchNorm = opts.batchNorm ?? true
  const dropout = opts.dropout ?? 0
  const [h, w] = opts.inputSize ?? [null, null]
  const input = tfl.input({ shape: [h, w, opts.inChannels], name: 'image' })
  const init = new Init(opts.seed)
  const skips: tfl.SymbolicTensor[] = []
  let x = input
  for (let level = 0; level < opts.depth; level++) {
    x = block(x, opts.baseFilters * 2 ** level, `enc${level}`, batchNorm, init, opts.batchNormMomentum)
    skips.push(x)
    x = tfl.layers.maxPooling2d({ poolSize: [2, 2], strides: [2, 2], name: `enc${level}_pool` }).apply(x) as tfl.SymbolicTensor
  }
  x = block(x, opts.baseFilters * 2 ** opts.depth, 'bottleneck', batchNorm, init, opts.batchNormMomentum)
  x = maybeDropout(x, dropout, 'bottleneck_dropout')
  for (let level = opts.depth - 1; level >= 0; level--) {
    x = tfl.layers.upSampling2d({ size: [2, 2], name: `dec${level}_up` }).apply(x) as tfl.SymbolicTensor
    x = block([x, skips[level]], opts.baseFilters * 2 ** level, `dec${level}`, batchNorm, init, opts.batchNormMomentum)
    x = maybeDropout(x, dropout, `dec${level}_dropout`)
  }
  const logits = tfl.layers.conv2d({ filters: opts.numClasses, kernelSize: 1, kernelInitializer: init.next(), name: 'logits' }).apply(x) as tfl.SymbolicTensor
  const outputs = [logits]
  if (opts.auxBoundaryHead) {
    outputs.push(tfl.layers.conv2d({ filters: 1, kernelSize: 1, kernelInitializer: init.next(), name: 'boundary_logits' }).apply(x) as tfl.SymbolicTensor)
  }
  return tfl.model({ inputs: input, outputs: outputs.length === 1 ? logits : outputs, name: 'unet' })
}
