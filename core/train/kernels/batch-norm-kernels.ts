/**
 * Two small kernels that make batch-norm training cheap on wasm (and cpu): per-channel statistics
 * and the closed-form backward pass, each a plain loop over the tensor's memory (channels last).
 * Composed from stock ops these took a dozen full-size element-wise passes, transposing reductions
 * and a slow matmul; here they are two passes each, accumulated in float64.
 *
 * - `LabelLoopBatchNormStats` {x} → [mean, variance] over every axis but the last (biased variance,
 *   two-pass so it stays exact when the mean is large).
 * - `LabelLoopBatchNormGrad` {dy, x, mean, rstd, gamma} → [dx, dgamma, dbeta], with M values per
 *   channel, x̂ = (x − mean)·rstd: dβ = Σ dy, dγ = Σ dy·x̂, dx = γ·rstd·(dy − dβ/M − x̂·dγ/M).
 * They have no gradients of their own: they are only called inside batch norm's custom gradient.
 * On wasm, channel counts that are multiples of 4 run as generated SIMD code (generated/bn-kernels.ts),
 * and so does FusedBatchNorm (the normalisation, in training and prediction).
 */
import { FusedBatchNorm, type KernelBackend, type KernelConfig, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core'
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { AppError } from '../../contract/errors'
import { tryGeneratedGrad, tryGeneratedNormalize, tryGeneratedStats } from './generated/bn-kernels'
import { stockKernel } from './stock'

export const BATCH_NORM_STATS = 'LabelLoopBatchNormStats'
export const BATCH_NORM_GRAD = 'LabelLoopBatchNormGrad'

/** Backend-neutral access to float32 memory: wasm's heap views or cpu's arrays. */
interface Memory {
  /** Allocates all outputs first (wasm memory may move), then returns views on inputs and outputs. */
  run(inputs: TensorInfo[], outShapes: number[][]): { ins: Float32Array[]; outs: Float32Array[]; infos: TensorInfo[] }
}

function wasmMemory(backend: BackendWasm): Memory {
  return {
    run(inputs, outShapes) {
      const infos = outShapes.map((s) => backend.makeOutput(s, 'float32'))
      const view = (t: TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array
      return { ins: inputs.map(view), outs: infos.map(view), infos }
    },
  }
}

function cpuMemory(backend: MathBackendCPU): Memory {
  return {
    run(inputs, outShapes) {
      const outs = outShapes.map((s) => new Float32Array(s.reduce((a, b) => a * b, 1)))
      const infos = outs.map((values, i) => backend.makeTensorInfo(outShapes[i], 'float32', values))
      return { ins: inputs.map((t) => backend.data.get(t.dataId).values as Float32Array), outs, infos }
    },
  }
}

function stats(memory: Memory, x: TensorInfo): TensorInfo[] {
  const c = x.shape[x.shape.length - 1]
  const { ins: [xv], outs: [meanOut, varOut], infos } = memory.run([x], [[c], [c]])
  const m = xv.length / c
  const sum = new Float64Array(c)
  for (let i = 0; i < xv.length; i += c) for (let k = 0; k < c; k++) sum[k] += xv[i + k]
  for (let k = 0; k < c; k++) sum[k] /= m
  const sq = new Float64Array(c)
  for (let i = 0; i < xv.length; i += c) {
    for (let k = 0; k < c; k++) {
      const d = xv[i + k] - sum[k]
      sq[k] += d * d
    }
  }
  for (let k = 0; k < c; k++) {
    meanOut[k] = sum[k]
    varOut[k] = sq[k] / m
  }
  return infos
}

function grad(memory: Memory, dy: TensorInfo, x: TensorInfo, mean: TensorInfo, rstd: TensorInfo, gamma: TensorInfo): TensorInfo[] {
  const c = x.shape[x.shape.length - 1]
  const { ins: [dyv, xv, mv, rv, gv], outs: [dx, dGamma, dBeta], infos } = memory.run([dy, x, mean, rstd, gamma], [x.shape, [c], [c]])
  const m = xv.length / c
  const sDy = new Float64Array(c)
  const sDyXc = new Float64Array(c)
  for (let i = 0; i < xv.length; i += c) {
    for (let k = 0; k < c; k++) {
      const d = dyv[i + k]
      sDy[k] += d
      sDyXc[k] += d * (xv[i + k] - mv[k])
    }
  }
  // dx = a·dy + b·x + e per channel, folding every per-channel constant.
  const a = new Float32Array(c)
  const b = new Float32Array(c)
  const e = new Float32Array(c)
  for (let k = 0; k < c; k++) {
    const dg = sDyXc[k] * rv[k]
    dGamma[k] = dg
    dBeta[k] = sDy[k]
    const scale = gv[k] * rv[k]
    a[k] = scale
    b[k] = (-scale * dg * rv[k]) / m
    e[k] = (-scale * sDy[k]) / m - b[k] * mv[k]
  }
  for (let i = 0; i < xv.length; i += c) {
    for (let k = 0; k < c; k++) dx[i + k] = a[k] * dyv[i + k] + b[k] * xv[i + k] + e[k]
  }
  return infos
}

type Args = { inputs: Record<string, TensorInfo>; backend: KernelBackend; attrs?: NamedAttrMap }

function configs(backendName: 'wasm' | 'cpu', memoryOf: (backend: KernelBackend) => Memory): KernelConfig[] {
  const wasm = (b: KernelBackend) => (backendName === 'wasm' ? (b as unknown as BackendWasm) : null)
  return [
    {
      kernelName: BATCH_NORM_STATS,
      backendName,
      kernelFunc: (({ inputs, backend }: Args) => {
        const w = wasm(backend)
        return (w && tryGeneratedStats(w, inputs.x)) ?? stats(memoryOf(backend), inputs.x)
      }) as unknown as KernelConfig['kernelFunc'],
    },
    {
      kernelName: BATCH_NORM_GRAD,
      backendName,
      kernelFunc: (({ inputs, backend }: Args) => {
        const w = wasm(backend)
        const { dy, x, mean, rstd, gamma } = inputs
        return (w && tryGeneratedGrad(w, dy, x, mean, rstd, gamma)) ?? grad(memoryOf(backend), dy, x, mean, rstd, gamma)
      }) as unknown as KernelConfig['kernelFunc'],
    },
  ]
}

/** wasm's FusedBatchNorm (normalisation with given statistics): generated code, else the stock kernel. */
function fusedBatchNormWasm(args: Args): TensorInfo {
  const { x, mean, variance, offset, scale } = args.inputs
  const epsilon = (args.attrs?.varianceEpsilon as number | undefined) ?? 0.001
  const fast = tryGeneratedNormalize(args.backend as unknown as BackendWasm, x, mean, variance, offset, scale, epsilon)
  if (fast) return fast
  const stock = stockKernel(FusedBatchNorm, 'wasm')
  if (!stock) throw new AppError('INTERNAL', 'core/train/kernels/batch-norm-kernels.ts: the stock wasm FusedBatchNorm kernel was not registered')
  return stock.kernelFunc(args as never) as TensorInfo
}

/** Batch-norm kernel registrations for wasm and cpu. */
export const batchNormKernelConfigs: readonly KernelConfig[] = [
  ...configs('wasm', (b) => wasmMemory(b as unknown as BackendWasm)),
  ...configs('cpu', (b) => cpuMemory(b as unknown as MathBackendCPU)),
  {
    kernelName: FusedBatchNorm,
    backendName: 'wasm',
    setupFunc: (backend) => stockKernel(FusedBatchNorm, 'wasm')?.setupFunc?.(backend),
    kernelFunc: fusedBatchNormWasm as unknown as KernelConfig['kernelFunc'],
  },
]
