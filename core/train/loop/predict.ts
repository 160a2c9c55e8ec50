/**
 * Whole-image prediction with any model of the U-Net family: tiles of the training size laid over the
 * image with overlap (core/train/sliding-window), each run through the model, softmax probabilities
 * blended across overlaps, then per pixel the arg-max class and its probability (the confidence map).
 *
 * The work goes band by band (one row of tiles at a time, {@link BandBlender}): only the input rows of
 * the current band are normalised and only a tile's height of blended probabilities is held, so an
 * 8,000² image needs tens of MB beyond its decoded pixels, not gigabytes. Finished rows go to a sink
 * as soon as their band completes.
 */
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import { BandBlender, type BlendedRows, type TileRect } from '../sliding-window'
import type { TrainImage } from './data-source'

/** A predicted mask and its confidence (max softmax probability, 0..1) per pixel. */
export interface Prediction {
  width: number
  height: number
  mask: Uint8Array
  confidence: Float32Array
}

export interface PredictOptions {
  tileSize: number
  numClasses: number
  /** Overlap of neighbouring tiles in pixels (default a quarter tile). */
  overlap?: number
  /** Tiles per model call (default 4). */
  batch?: number
}

/**
 * Normalised input rows of an image: `rows(y0, y1)` returns rows [y0, y1) as HWC float32 with
 * `channels` channels ((y1 − y0) × width × channels values). Lets a band read only what it needs.
 */
export interface RowSource {
  width: number
  height: number
  channels: number
  rows(y0: number, y1: number): Float32Array | Promise<Float32Array>
}

/** Softmax probabilities of `count` tiles [count,S,S,C] as one flat array [count,S,S,classes]. */
export type TileRunner = (pixels: Float32Array, count: number) => Float32Array

/**
 * Runs several tile batches together, e.g. spread over data-parallel threads (core/train/parallel);
 * `local` runs one batch on this thread. Results in the batches' order.
 */
export type TileBatchRunner = (batches: readonly { pixels: Float32Array; count: number }[], local: TileRunner) => Promise<Float32Array[]>

/** The segmentation logits of a model's output (the first output when it has a boundary head too). */
export function logitsOf(output: tf.Tensor | tf.Tensor[]): tf.Tensor4D {
  return (Array.isArray(output) ? output[0] : output) as tf.Tensor4D
}

/**
 * The values of a tensor made inside tf.tidy, all intermediates freed. Never return a typed array
 * from tf.tidy itself: tfjs walks the result for tensors to keep with for…in, index by index, which
 * for the probabilities of four 256² tiles (1M values) took longer than the forward pass.
 */
export function readTidy(make: () => tf.Tensor): Float32Array {
  const t = tf.tidy(make)
  try {
    return t.dataSync() as Float32Array
  } finally {
    t.dispose()
  }
}

/** Softmax of the model over tiles x [B,S,S,C], averaged over the four flips when `tta` (call inside tf.tidy). */
export function tileProbs(model: tfl.LayersModel, x: tf.Tensor4D, tta: boolean): tf.Tensor4D {
  const run = (input: tf.Tensor4D): tf.Tensor4D => tf.softmax(logitsOf(model.predict(input) as tf.Tensor | tf.Tensor[])) as tf.Tensor4D
  if (!tta) return run(x)
  const flips: number[][] = [[], [2], [1], [1, 2]]
  const outs = flips.map((axes) => (axes.length === 0 ? run(x) : tf.reverse(run(tf.reverse(x, axes)), axes)))
  return tf.div(tf.addN(outs), flips.length) as tf.Tensor4D
}

/** The plain runner: one forward pass and a softmax per batch of tiles. */
export function softmaxRunner(model: tfl.LayersModel, size: number, channels: number): TileRunner {
  return (pixels, count) =>
    readTidy(() => {
      const x = tf.tensor4d(pixels, [count, size, size, channels])
      return tf.softmax(logitsOf(model.predict(x) as tf.Tensor | tf.Tensor[]))
    })
}

/** Copies tile `x` of a band's input rows (padding with 0, the mean after normalisation). */
function cutBandTile(input: Float32Array, bandRows: number, width: number, channels: number, x0: number, size: number, out: Float32Array, at: number): void {
  const cols = Math.min(size, width - x0)
  for (let ty = 0; ty < Math.min(size, bandRows); ty++) {
    const src = (ty * width + x0) * channels
    out.set(input.subarray(src, src + cols * channels), at + ty * size * channels)
  }
}

/** The tiles of the blender's current band cut from its input rows, in groups of `batch`, one group at a time. */
function* bandBatches(blender: BandBlender, input: Float32Array, channels: number, batch: number): Generator<{ rects: TileRect[]; pixels: Float32Array; count: number }> {
  const size = blender.tile
  const rects = blender.bandRects()
  const bandRows = input.length / (blender.width * channels)
  const per = size * size * channels
  for (let i = 0; i < rects.length; i += batch) {
    const group = rects.slice(i, i + batch)
    const pixels = new Float32Array(group.length * per)
    group.forEach((r, k) => cutBandTile(input, bandRows, blender.width, channels, r.x, size, pixels, k * per))
    yield { rects: group, pixels, count: group.length }
  }
}

/** Adds a group's tile probabilities ([count, tile, tile, classes]) to the blender. */
function addGroup(blender: BandBlender, rects: readonly TileRect[], probs: Float32Array): void {
  const tileLen = blender.tile * blender.tile * blender.classes
  rects.forEach((r, k) => blender.add(r, probs.subarray(k * tileLen, (k + 1) * tileLen)))
}

/** Runs every tile of the blender's current band through `run` (in groups of `batch`) and adds them. */
function fillBand(blender: BandBlender, input: Float32Array, channels: number, run: TileRunner, batch: number): void {
  for (const g of bandBatches(blender, input, channels, batch)) addGroup(blender, g.rects, run(g.pixels, g.count))
}

/**
 * Blends tile probabilities over `src` band by band and hands each finished run of rows to `onRows`
 * (top to bottom, every row once). Memory: one band of input and a tile's height of probabilities.
 */
export async function predictRows(src: RowSource, run: TileRunner, opts: { tileSize: number; numClasses: number; overlap: number; batch: number; many?: TileBatchRunner }, onRows: (rows: BlendedRows) => void | Promise<void>): Promise<void> {
  const blender = new BandBlender(src.width, src.height, opts.numClasses, opts.tileSize, opts.overlap)
  while (blender.currentBand < blender.origins.length) {
    const y = blender.origins[blender.currentBand]
    const input = await src.rows(y, Math.min(src.height, y + opts.tileSize))
    if (opts.many) {
      // All of a band's tile groups at once, so other threads can take some of them.
      const groups = [...bandBatches(blender, input, src.channels, opts.batch)]
      const probs = await opts.many(groups, run)
      groups.forEach((g, i) => addGroup(blender, g.rects, probs[i]))
    } else {
      fillBand(blender, input, src.channels, run, opts.batch)
    }
    await onRows(blender.finishBand())
  }
}

/** The same, synchronously, for a source whose rows are in memory already. */
export function predictRowsSync(src: { width: number; height: number; channels: number; rows(y0: number, y1: number): Float32Array }, run: TileRunner, opts: { tileSize: number; numClasses: number; overlap: number; batch: number }, onRows: (rows: BlendedRows) => void): void {
  const blender = new BandBlender(src.width, src.height, opts.numClasses, opts.tileSize, opts.overlap)
  while (blender.currentBand < blender.origins.length) {
    const y = blender.origins[blender.currentBand]
    fillBand(blender, src.rows(y, Math.min(src.height, y + opts.tileSize)), src.channels, run, opts.batch)
    onRows(blender.finishBand())
  }
}

/** The overlap and batch `opts` ask for, with their defaults. */
export function tiling(opts: PredictOptions): { tileSize: number; numClasses: number; overlap: number; batch: number } {
  const size = opts.tileSize
  return { tileSize: size, numClasses: opts.numClasses, overlap: Math.min(size - 1, opts.overlap ?? Math.floor(size / 4)), batch: Math.max(1, opts.batch ?? 4) }
}

/** Arg-max class and its probability of each pixel of HWC probabilities, written at `offset`. */
export function argmaxInto(probs: Float32Array, classes: number, mask: Uint8Array, confidence: Float32Array, offset: number): void {
  const n = probs.length / classes
  for (let p = 0; p < n; p++) {
    let best = 0
    let bestP = -1
    for (let c = 0; c < classes; c++) {
      const v = probs[p * classes + c]
      if (v > bestP) {
        bestP = v
        best = c
      }
    }
    mask[offset + p] = best
    confidence[offset + p] = bestP
  }
}

/** An in-memory normalised image as a row source (rows are views, not copies). */
export function memoryRows(image: Omit<TrainImage, 'labels'>): { width: number; height: number; channels: number; rows(y0: number, y1: number): Float32Array } {
  const stride = image.width * image.channels
  return { width: image.width, height: image.height, channels: image.channels, rows: (y0, y1) => image.data.subarray(y0 * stride, y1 * stride) }
}

/** Predicts a normalised image of any size held in memory (labels of `image` are not used). */
export function predictImage(model: tfl.LayersModel, image: Omit<TrainImage, 'labels'>, opts: PredictOptions): Prediction {
  const n = image.width * image.height
  const mask = new Uint8Array(n)
  const confidence = new Float32Array(n)
  const run = softmaxRunner(model, opts.tileSize, image.channels)
  predictRowsSync(memoryRows(image), run, tiling(opts), (b) => argmaxInto(b.probs, opts.numClasses, mask, confidence, b.y0 * image.width))
  return { width: image.width, height: image.height, mask, confidence }
}
