/**
 * Whole-image class probabilities for pseudo-labelling: the sliding-window prediction of
 * core/train/loop/predict, with test-time augmentation (each tile also predicted flipped left-right,
 * top-bottom and both, the outputs flipped back and averaged) and Monte-Carlo dropout (N stochastic
 * passes with the model's dropout layers on and batch norm still on its moving statistics, averaged).
 * The averaged softmax is the predictive distribution whose arg-max, maximum and entropy make the
 * pseudo mask, its confidence and its review score.
 */
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import type { BlendedRows } from '../sliding-window'
import type { TrainImage } from '../loop/data-source'
import { memoryRows, predictRows, predictRowsSync, readTidy, tileProbs, type RowSource, type TileRunner } from '../loop/predict'
import type { ReplicaPool } from '../parallel/replica-pool'

export interface ProbabilityOptions {
  tileSize: number
  numClasses: number
  /** Average over the four flips (identity, left-right, top-bottom, both). */
  tta: boolean
  /** Monte-Carlo dropout passes; 0 (or 1 without dropout layers) = one deterministic pass. */
  mcDropout: number
  /** Tiles per model call (default 4). */
  batch?: number
}

type CallKwargs = Record<string, unknown>
interface CallableLayer {
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallKwargs): tf.Tensor | tf.Tensor[]
}

/**
 * Switches the model's dropout layers to always drop (MC dropout) while every other layer, batch norm
 * included, keeps inference behaviour. Returns the function that undoes it; false when the model has
 * no dropout layer.
 */
export function enableMcDropout(model: tfl.LayersModel): (() => void) | false {
  const layers = model.layers.filter((l) => l.getClassName() === 'Dropout')
  if (layers.length === 0) return false
  const originals = layers.map((l) => {
    const layer = l as unknown as CallableLayer
    const call = layer.call.bind(layer)
    layer.call = (inputs, kwargs) => call(inputs, { ...kwargs, training: true })
    return () => {
      layer.call = call
    }
  })
  return () => originals.forEach((undo) => undo())
}

/** A tile runner averaging flips (when `tta`) and `passes` stochastic passes (MC dropout must be on); also what prediction replicas run (core/train/parallel). */
export function averagedRunner(model: tfl.LayersModel, size: number, channels: number, tta: boolean, passes: number): TileRunner {
  return (pixels, count) =>
    readTidy(() => {
      const x = tf.tensor4d(pixels, [count, size, size, channels])
      const runs: tf.Tensor4D[] = []
      for (let k = 0; k < passes; k++) runs.push(tileProbs(model, x, tta))
      return runs.length === 1 ? runs[0] : tf.div(tf.addN(runs), runs.length)
    })
}

/** Runs `fn` with MC dropout on when asked for, passing the number of passes; always switches it off again. */
async function withPasses<T>(model: tfl.LayersModel, mcDropout: number, fn: (passes: number) => T | Promise<T>): Promise<T> {
  const undo = mcDropout > 1 ? enableMcDropout(model) : false
  try {
    return await fn(undo ? mcDropout : 1)
  } finally {
    if (undo) undo()
  }
}

/**
 * Class probabilities of an image read band by band (see core/train/loop/predict predictRows): each
 * finished run of rows goes to `onRows`, so an 8,000² image never needs a full-size probability buffer.
 */
export async function predictProbabilityRows(model: tfl.LayersModel, src: RowSource, opts: ProbabilityOptions, onRows: (rows: BlendedRows) => void | Promise<void>, pool?: ReplicaPool | null): Promise<void> {
  const size = opts.tileSize
  // Replicas (core/train/parallel) run the same flips and MC-dropout passes on their share of the tiles.
  const many = pool?.tileRunner({ size, channels: src.channels, tta: opts.tta, passes: opts.mcDropout })
  await withPasses(model, opts.mcDropout, (passes) =>
    predictRows(src, averagedRunner(model, size, src.channels, opts.tta, passes), { tileSize: size, numClasses: opts.numClasses, overlap: Math.floor(size / 4), batch: Math.max(1, opts.batch ?? 4), many }, onRows))
}

/** Class probabilities (HWC float32) of a normalised image of any size held in memory. */
export function predictProbabilities(model: tfl.LayersModel, image: Omit<TrainImage, 'labels'>, opts: ProbabilityOptions): Float32Array {
  const size = opts.tileSize
  const out = new Float32Array(image.width * image.height * opts.numClasses)
  const undo = opts.mcDropout > 1 ? enableMcDropout(model) : false
  try {
    const run = averagedRunner(model, size, image.channels, opts.tta, undo ? opts.mcDropout : 1)
    const tiles = { tileSize: size, numClasses: opts.numClasses, overlap: Math.floor(size / 4), batch: Math.max(1, opts.batch ?? 4) }
    predictRowsSync(memoryRows(image), run, tiles, (b) => out.set(b.probs, b.y0 * image.width * opts.numClasses))
  } finally {
    if (undo) undo()
  }
  return out
}
