/**
 * Whole-image prediction with any model of the U-Net family: tiles of the training size laid over the
 * image with overlap (core/train/sliding-window), each run through the model, softmax probabilities
 * blended across overlaps, then per pixel the arg-max class and its probability (the confidence map).
 */
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import { BlendAccumulator, tileGrid, type TileRect } from '../sliding-window'
import { cutTile } from './batch'
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

/** The segmentation logits of a model's output (the first output when it has a boundary head too). */
export function logitsOf(output: tf.Tensor | tf.Tensor[]): tf.Tensor4D {
  return (Array.isArray(output) ? output[0] : output) as tf.Tensor4D
}

/** Runs the model over tiles [B,S,S,C] and returns softmax probabilities as one flat array. */
function tileProbabilities(model: tfl.LayersModel, pixels: Float32Array, count: number, size: number, channels: number): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(pixels, [count, size, size, channels])
    const probs = tf.softmax(logitsOf(model.predict(x) as tf.Tensor | tf.Tensor[]))
    return probs.dataSync() as Float32Array
  })
}

/** Predicts a normalised image of any size (labels of `image` are not used). */
export function predictImage(model: tfl.LayersModel, image: Omit<TrainImage, 'labels'>, opts: PredictOptions): Prediction {
  const size = opts.tileSize
  const overlap = Math.min(size - 1, opts.overlap ?? Math.floor(size / 4))
  const batch = Math.max(1, opts.batch ?? 4)
  const classes = opts.numClasses
  const rects = tileGrid(image.width, image.height, size, overlap)
  const acc = new BlendAccumulator(image.width, image.height, classes, size, overlap)
  const src = { ...image, labels: new Uint8Array(image.width * image.height) }
  const per = size * size * image.channels
  for (let i = 0; i < rects.length; i += batch) {
    const group: TileRect[] = rects.slice(i, i + batch)
    const pixels = new Float32Array(group.length * per)
    group.forEach((r, k) => pixels.set(cutTile({ image: src, x: r.x, y: r.y }, size).pixels, k * per))
    const probs = tileProbabilities(model, pixels, group.length, size, image.channels)
    const tileLen = size * size * classes
    group.forEach((r, k) => acc.add(r, probs.subarray(k * tileLen, (k + 1) * tileLen)))
  }
  const blended = acc.result()
  const n = image.width * image.height
  const mask = new Uint8Array(n)
  const confidence = new Float32Array(n)
  for (let p = 0; p < n; p++) {
    let best = 0
    let bestP = -1
    for (let c = 0; c < classes; c++) {
      const v = blended[p * classes + c]
      if (v > bestP) {
        bestP = v
        best = c
      }
    }
    mask[p] = best
    confidence[p] = bestP
  }
  return { width: image.width, height: image.height, mask, confidence }
}
