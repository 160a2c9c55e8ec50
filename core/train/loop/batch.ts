/**
 * Builds training batches: cuts tiles at the sampler's positions (padding with 0, which is the mean
 * after normalisation, and label 255, which every loss ignores), applies the tile augmentations and
 * packs them into the plain arrays the loop turns into tensors. Augmentations are functions over one
 * tile, so photometric and geometric ones of the data-pipeline issue are added to the list, not the loop.
 */
import { UNLABELED } from '../../contract'
import type { Rng } from './rng'
import type { TilePick, TileSampler } from './sampler'

/** One tile: HWC float pixels and int32 labels (255 = ignored). */
export interface Tile {
  size: number
  channels: number
  pixels: Float32Array
  labels: Int32Array
}

/** Changes a tile in place. */
export type TileAugment = (tile: Tile, rng: Rng) => void

/** A batch as plain arrays: pixels [B,S,S,C] and labels [B,S,S]. */
export interface Batch {
  size: number
  count: number
  channels: number
  pixels: Float32Array
  labels: Int32Array
}

/** Cuts the tile at `pick`, padding outside the image. */
export function cutTile(pick: TilePick, size: number): Tile {
  const { image, x: x0, y: y0 } = pick
  const c = image.channels
  const pixels = new Float32Array(size * size * c)
  const labels = new Int32Array(size * size).fill(UNLABELED)
  for (let ty = 0; ty < size; ty++) {
    const y = y0 + ty
    if (y < 0 || y >= image.height) continue
    for (let tx = 0; tx < size; tx++) {
      const x = x0 + tx
      if (x < 0 || x >= image.width) continue
      const src = y * image.width + x
      const dst = ty * size + tx
      labels[dst] = image.labels[src]
      for (let k = 0; k < c; k++) pixels[dst * c + k] = image.data[src * c + k]
    }
  }
  return { size, channels: c, pixels, labels }
}

function swapPixels(tile: Tile, a: number, b: number): void {
  const c = tile.channels
  const l = tile.labels[a]
  tile.labels[a] = tile.labels[b]
  tile.labels[b] = l
  for (let k = 0; k < c; k++) {
    const v = tile.pixels[a * c + k]
    tile.pixels[a * c + k] = tile.pixels[b * c + k]
    tile.pixels[b * c + k] = v
  }
}

/** Horizontal flip with probability ½. */
export const flipHorizontal: TileAugment = (tile, rng) => {
  if (rng.next() >= 0.5) return
  const s = tile.size
  for (let y = 0; y < s; y++) for (let x = 0; x < s / 2; x++) swapPixels(tile, y * s + x, y * s + (s - 1 - x))
}

/** Vertical flip with probability ½. */
export const flipVertical: TileAugment = (tile, rng) => {
  if (rng.next() >= 0.5) return
  const s = tile.size
  for (let y = 0; y < s / 2; y++) for (let x = 0; x < s; x++) swapPixels(tile, y * s + x, (s - 1 - y) * s + x)
}

/** The augmentations of a TrainConfig `augment` level (flips only, until the data-pipeline issue). */
export function augmentsFor(level: 'none' | 'light' | 'strong'): TileAugment[] {
  return level === 'none' ? [] : [flipHorizontal, flipVertical]
}

/** Draws `count` tiles from the sampler, augments them and packs them into one batch. */
export function buildBatch(sampler: TileSampler, rng: Rng, opts: { size: number; count: number; channels: number; augments: readonly TileAugment[] }): Batch {
  const { size, count, channels } = opts
  const area = size * size
  const pixels = new Float32Array(count * area * channels)
  const labels = new Int32Array(count * area)
  for (let b = 0; b < count; b++) {
    const tile = cutTile(sampler.pick(rng), size)
    for (const augment of opts.augments) augment(tile, rng)
    pixels.set(tile.pixels, b * area * channels)
    labels.set(tile.labels, b * area)
  }
  return { size, count, channels, pixels, labels }
}
