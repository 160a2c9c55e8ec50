/**
 * Batch norm's training passes on tfjs' wasm heap through generated SIMD code (bn-codegen.ts):
 * statistics, the closed-form backward pass and the normalisation itself. Block sums come back in
 * float32 and are added here in float64. Each `tryGenerated*` returns null when it does not apply
 * (channels not a multiple of 4, kernels not prepared): the caller uses its plain-loop version.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { batchNormModuleWat, blockCount } from './bn-codegen'
import { generatedEnv, offsetOf, withOutputs } from './heap'
import { kernelExports } from './runtime'

/** How many calls each generated path served in this thread (tests check coverage). */
export const generatedBatchNormCalls = { stats: 0, grad: 0, normalize: 0 }

type Fn = (...args: number[]) => void

function channelsOf(x: TensorInfo): number {
  return x.shape[x.shape.length - 1] ?? 1
}

function sizeOf(t: TensorInfo): number {
  return t.shape.reduce((a, b) => a * b, 1)
}

function exportsFor(memory: WebAssembly.Memory, c: number, fma: boolean): Record<string, Fn> {
  return kernelExports(memory, batchNormModuleWat(c, fma)) as unknown as Record<string, Fn>
}

/** Adds the per-block partial sums at `part` (blocks × stride floats) for `count` channels from `at`. */
function reduce(f32: Float32Array, part: number, blocks: number, stride: number, at: number, count: number): Float64Array {
  const out = new Float64Array(count)
  let p = (part >>> 2) + at
  for (let b = 0; b < blocks; b++, p += stride) for (let k = 0; k < count; k++) out[k] += f32[p + k]
  return out
}

/** [mean, biased variance] over every axis but the last. */
export function tryGeneratedStats(backend: BackendWasm, x: TensorInfo): TensorInfo[] | null {
  const c = channelsOf(x)
  const env = generatedEnv(backend, x)
  if (!env || c % 4 !== 0 || sizeOf(x) === 0) return null
  const rows = sizeOf(x) / c
  const blocks = blockCount(rows)
  const outs = withOutputs(backend, [[c], [c]], ([mean, variance], heap, scratch) => {
    const fns = exportsFor(env.memory, c, env.fma)
    const part = scratch.alloc(blocks * c)
    const xPtr = offsetOf(backend, x)
    const meanPtr = offsetOf(backend, mean)
    fns.sums(xPtr, rows, part)
    const sum = reduce(heap.HEAPF32, part, blocks, c, 0, c)
    for (let k = 0; k < c; k++) heap.HEAPF32[(meanPtr >>> 2) + k] = sum[k] / rows
    fns.sqdev(xPtr, meanPtr, rows, part)
    const sq = reduce(heap.HEAPF32, part, blocks, c, 0, c)
    const varPtr = offsetOf(backend, variance) >>> 2
    for (let k = 0; k < c; k++) heap.HEAPF32[varPtr + k] = sq[k] / rows
  })
  generatedBatchNormCalls.stats++
  return outs
}

/**
 * [dx, dgamma, dbeta] with x̂ = (x − mean)·rstd: dβ = Σ dy, dγ = Σ dy·x̂,
 * dx = γ·rstd·(dy − dβ/M − x̂·dγ/M), folded into dx = a·dy + b·x + e per channel.
 */
export function tryGeneratedGrad(
  backend: BackendWasm,
  dy: TensorInfo,
  x: TensorInfo,
  mean: TensorInfo,
  rstd: TensorInfo,
  gamma: TensorInfo,
): TensorInfo[] | null {
  const c = channelsOf(x)
  const env = generatedEnv(backend, dy, x, mean, rstd, gamma)
  if (!env || c % 4 !== 0 || sizeOf(x) === 0) return null
  const rows = sizeOf(x) / c
  const blocks = blockCount(rows)
  const outs = withOutputs(backend, [x.shape, [c], [c]], ([dx, dGamma, dBeta], heap, scratch) => {
    const fns = exportsFor(env.memory, c, env.fma)
    const part = scratch.alloc(blocks * 2 * c)
    const coef = scratch.alloc(3 * c)
    const meanPtr = offsetOf(backend, mean)
    fns.gradsums(offsetOf(backend, dy), offsetOf(backend, x), meanPtr, rows, part)
    const f32 = heap.HEAPF32
    const sDy = reduce(f32, part, blocks, 2 * c, 0, c)
    const sDyXc = reduce(f32, part, blocks, 2 * c, c, c)
    const m0 = meanPtr >>> 2
    const r0 = offsetOf(backend, rstd) >>> 2
    const g0 = offsetOf(backend, gamma) >>> 2
    const dg0 = offsetOf(backend, dGamma) >>> 2
    const db0 = offsetOf(backend, dBeta) >>> 2
    const c0 = coef >>> 2
    for (let k = 0; k < c; k++) {
      const r = f32[r0 + k]
      const dg = sDyXc[k] * r
      f32[dg0 + k] = dg
      f32[db0 + k] = sDy[k]
      const scale = f32[g0 + k] * r
      const b = (-scale * dg * r) / rows
      f32[c0 + k] = scale
      f32[c0 + c + k] = b
      f32[c0 + 2 * c + k] = (-scale * sDy[k]) / rows - b * f32[m0 + k]
    }
    fns.affine2(offsetOf(backend, dy), offsetOf(backend, x), coef, rows, offsetOf(backend, dx))
  })
  generatedBatchNormCalls.grad++
  return outs
}

/**
 * y = (x − mean)·scale/√(variance + ε) + offset, with mean, variance, offset and scale per channel
 * ([c] each; offset and scale optional), as one multiply-add per value.
 */
export function tryGeneratedNormalize(
  backend: BackendWasm,
  x: TensorInfo,
  mean: TensorInfo,
  variance: TensorInfo,
  offset: TensorInfo | undefined,
  scale: TensorInfo | undefined,
  epsilon: number,
): TensorInfo | null {
  const c = channelsOf(x)
  const perChannel = [mean, variance, offset, scale].every((t) => t === undefined || (t.shape.length === 1 && t.shape[0] === c))
  const env = generatedEnv(backend, x, mean, variance, ...[offset, scale].filter((t): t is TensorInfo => t !== undefined))
  if (!env || !perChannel || c % 4 !== 0 || sizeOf(x) === 0) return null
  const rows = sizeOf(x) / c
  const [y] = withOutputs(backend, [x.shape], ([out], heap, scratch) => {
    const fns = exportsFor(env.memory, c, env.fma)
    const coef = scratch.alloc(2 * c)
    const f32 = heap.HEAPF32
    const m0 = offsetOf(backend, mean) >>> 2
    const v0 = offsetOf(backend, variance) >>> 2
    const o0 = offset ? offsetOf(backend, offset) >>> 2 : -1
    const s0 = scale ? offsetOf(backend, scale) >>> 2 : -1
    const c0 = coef >>> 2
    for (let k = 0; k < c; k++) {
      const a = (s0 >= 0 ? f32[s0 + k] : 1) / Math.sqrt(f32[v0 + k] + epsilon)
      f32[c0 + k] = a
      f32[c0 + c + k] = (o0 >= 0 ? f32[o0 + k] : 0) - a * f32[m0 + k]
    }
    fns.affine1(offsetOf(backend, x), coef, rows, offsetOf(backend, out))
  })
  generatedBatchNormCalls.normalize++
  return y
}
