/**
 * MaxPoolGrad for the wasm backend. The stock wasm kernel in tfjs 4.22 sends the gradient of every
 * pooling window whose maximum is <= 0 to element 0 (common right after ReLU or batch norm), which
 * silently corrupts training. This one routes each window's gradient to the first maximal element,
 * exactly like the cpu backend (strict `>` scan in row-major window order, padding skipped).
 * It works on the wasm heap directly: one pass over the windows, channels innermost; the U-Net's 2×2
 * stride-2 case runs as generated SIMD code (generated/pool-codegen.ts).
 */
import {
  backend_util,
  MaxPoolGrad,
  type KernelConfig,
  type MaxPoolGradAttrs,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { generatedEnv, offsetOf, withOutputs } from './generated/heap'
import { maxPool2GradModuleWat } from './generated/pool-codegen'
import { kernelExports } from './generated/runtime'

/** Calls served by the generated 2×2 path in this thread (tests check coverage). */
export const generatedPoolGradCalls = { count: 0 }

/** The U-Net's case, 2×2 windows at stride 2 without padding and channels a multiple of 4, as generated SIMD. */
function tryGenerated(backend: BackendWasm, dy: TensorInfo, input: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo | null {
  const c = info.inChannels
  const p = info.padInfo
  const pool2 = info.filterHeight === 2 && info.filterWidth === 2 && info.strideHeight === 2 && info.strideWidth === 2 &&
    info.dilationHeight === 1 && info.dilationWidth === 1
  if (!pool2 || p.top !== 0 || p.left !== 0 || p.bottom !== 0 || p.right !== 0 || c % 4 !== 0) return null
  if (info.outHeight !== info.inHeight >> 1 || info.outWidth !== info.inWidth >> 1) return null
  const env = generatedEnv(backend, dy, input)
  if (!env) return null
  const [dx] = withOutputs(backend, [input.shape], ([out], heap) => {
    if (info.inHeight % 2 === 1 || info.inWidth % 2 === 1) {
      const at = offsetOf(backend, out) >>> 2
      heap.HEAPF32.fill(0, at, at + input.shape.reduce((a, b) => a * b, 1))
    }
    const fn = kernelExports(env.memory, maxPool2GradModuleWat(c)).pool2grad as (...a: number[]) => void
    fn(offsetOf(backend, input), offsetOf(backend, dy), offsetOf(backend, out), info.batchSize, info.inHeight, info.inWidth)
  })
  generatedPoolGradCalls.count++
  return dx
}

function maxPoolGrad(args: { inputs: Record<string, TensorInfo>; backend: BackendWasm; attrs: NamedAttrMap }): TensorInfo {
  const { dy, input } = args.inputs
  const attrs = args.attrs as unknown as MaxPoolGradAttrs
  const backend = args.backend
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  )
  const fast = tryGenerated(backend, dy, input, info)
  if (fast) return fast
  const dx = backend.makeOutput(input.shape, 'float32')
  // Views are taken after makeOutput: allocating may grow (and move) the wasm memory.
  const dxv = backend.typedArrayFromHeap(dx) as Float32Array
  const xv = backend.typedArrayFromHeap(input) as Float32Array
  const dyv = backend.typedArrayFromHeap(dy) as Float32Array
  dxv.fill(0)
  const { batchSize, inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth } = info
  const channels = info.inChannels
  const best = new Float32Array(channels)
  const where = new Int32Array(channels)
  let o = 0
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * strideHeight - info.padInfo.top
      const yStart = Math.max(0, y0)
      const yEnd = Math.min(inHeight, y0 + info.effectiveFilterHeight)
      for (let ox = 0; ox < outWidth; ox++, o += channels) {
        const x0 = ox * strideWidth - info.padInfo.left
        const xStart = Math.max(0, x0)
        const xEnd = Math.min(inWidth, x0 + info.effectiveFilterWidth)
        best.fill(Number.NEGATIVE_INFINITY)
        where.fill(-1)
        for (let y = yStart; y < yEnd; y++) {
          for (let x = xStart; x < xEnd; x++) {
            const base = ((b * inHeight + y) * inWidth + x) * channels
            for (let c = 0; c < channels; c++) {
              const v = xv[base + c]
              if (v > best[c]) {
                best[c] = v
                where[c] = base + c
              }
            }
          }
        }
        for (let c = 0; c < channels; c++) {
          if (where[c] >= 0) dxv[where[c]] += dyv[o + c]
        }
      }
    }
  }
  return dx
}

/** Kernel registration that replaces wasm's faulty MaxPoolGrad. */
export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelConfig['kernelFunc'],
}
