/**
 * Shared helpers for the kernel tests: run the same function on the cpu and wasm backends and
 * compare, with seeded random inputs so failures reproduce.
 */
import * as tf from '@tensorflow/tfjs-core'
import { selectBackend } from '../backend'

/** Starts both backends once (wasm with LabelLoop's kernels) and leaves wasm active. */
export async function initBackends(): Promise<void> {
  await selectBackend({ force: 'cpu' })
  await selectBackend({ force: 'wasm' })
}

/** Runs `f` on `backend` and returns its outputs as plain arrays (all tensors freed). */
export function runOn(backend: 'cpu' | 'wasm', f: () => tf.Tensor[]): Float32Array[] {
  const previous = tf.getBackend()
  tf.setBackend(backend)
  try {
    return tf.tidy(f).map((t) => {
      const v = t.dataSync() as Float32Array
      t.dispose()
      return Float32Array.from(v)
    })
  } finally {
    tf.setBackend(previous)
  }
}

/** Largest absolute difference divided by the largest magnitude of the reference (0 when both 0). */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY
  let diff = 0
  let scale = 0
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]))
    scale = Math.max(scale, Math.abs(expected[i]))
  }
  return Number.isFinite(diff) ? diff / Math.max(scale, 1e-12) : Number.POSITIVE_INFINITY
}

/** A small deterministic pseudo-random generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Values in [-1, 1) from a seeded generator, for tensor inputs built the same on every backend. */
export function randomValues(count: number, next: () => number): Float32Array {
  const v = new Float32Array(count)
  for (let i = 0; i < count; i++) v[i] = next() * 2 - 1
  return v
}
