/**
 * Stride-1 convolutions on tfjs' wasm backend through LabelLoop's generated kernels (conv-codegen.ts):
 * the forward pass (Conv2D, FusedConv2D with bias and linear/ReLU), the input gradient and the
 * filter gradient. Each `tryFast*` returns null when its case is not covered (stride or dilation
 * above 1, output channels not a multiple of 4, other activations, kernels not ready), and the
 * caller falls back to XNNPACK.
 *
 * Work happens on the wasm heap: the input is copied once into a zero-padded scratch buffer (skipped
 * when there is no padding) and the filter into the packed [block][tap][ci][8] layout, both freed
 * before returning.
 */
import { backend_util, type TensorInfo } from '@tensorflow/tfjs-core'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import {
  channelBlocks,
  convModuleWat,
  defaultChunkRows,
  filterGradModuleWat,
  packedBlockOffset,
  type ConvGeometry,
} from './conv-codegen'
import { generatedEnv, offsetOf, withOutputs, type Heap, type Scratch } from './heap'
import { kernelExports } from './runtime'

interface Pads {
  top: number
  bottom: number
  left: number
  right: number
}

/** How many calls each fast path served in this thread (tests check that a case was covered). */
export const fastConvCalls = { forward: 0, inputGrad: 0, filterGrad: 0 }

type ConvFn = (x: number, w: number, bias: number, out: number, n: number) => void
type FilterGradFn = (x: number, dy: number, dw: number, n: number) => void

/**
 * Copies the NHWC tensor at byte offset `src` into a zero-padded one; returns its byte offset (the
 * source itself when nothing changes). A negative pad crops that many rows or columns.
 */
function padded(heap: Heap, scratch: Scratch, src: number, shape: number[], p: Pads): number {
  if (p.top === 0 && p.bottom === 0 && p.left === 0 && p.right === 0) return src
  const [n, h, w, c] = shape
  const hp = h + p.top + p.bottom
  const wp = w + p.left + p.right
  const dst = scratch.alloc(n * hp * wp * c)
  const f32 = heap.HEAPF32 // after alloc: the heap may have grown
  const d0 = dst >>> 2
  const s0 = src >>> 2
  // Source columns that land inside the output, and rows likewise.
  const x0 = Math.max(0, -p.left)
  const x1 = Math.min(w, wp - p.left)
  const y0 = Math.max(0, -p.top)
  const y1 = Math.min(h, hp - p.top)
  f32.fill(0, d0, d0 + n * hp * wp * c)
  if (x1 <= x0) return dst
  for (let img = 0; img < n; img++) {
    for (let y = y0; y < y1; y++) {
      const from = s0 + ((img * h + y) * w + x0) * c
      const to = d0 + ((img * hp + y + p.top) * wp + x0 + p.left) * c
      f32.copyWithin(to, from, from + (x1 - x0) * c)
    }
  }
  return dst
}

/**
 * Packs a filter into [block][tap][ci][width] for `conv`. With `flipSwap`, the filter [kh, kw, a, b]
 * is used as [kh, kw, b, a] flipped in both spatial axes (the input gradient's filter).
 */
function packFilter(heap: Heap, scratch: Scratch, src: number, g: ConvGeometry, flipSwap: boolean): number {
  const taps = g.kh * g.kw
  const dst = scratch.alloc(taps * g.cin * g.cout)
  const f32 = heap.HEAPF32
  const s0 = src >>> 2
  const d0 = dst >>> 2
  const { full, tail4 } = channelBlocks(g.cout)
  const blocks: [number, number][] = []
  for (let b = 0; b < full; b++) blocks.push([8 * b, 8])
  if (tail4) blocks.push([8 * full, 4])
  for (const [co0, width] of blocks) {
    let d = d0 + packedBlockOffset(g, co0)
    for (let t = 0; t < taps; t++) {
      // Source tap: the same one, or the spatially flipped one.
      const st = flipSwap ? taps - 1 - t : t
      for (let ci = 0; ci < g.cin; ci++) {
        for (let j = 0; j < width; j++) {
          const co = co0 + j
          // Forward: w[t][ci][co] with [cin, cout] inner; flipSwap: w[st][co][ci] with [cout, cin] inner.
          f32[d++] = flipSwap ? f32[s0 + (st * g.cout + co) * g.cin + ci] : f32[s0 + (t * g.cin + ci) * g.cout + co]
        }
      }
    }
  }
  return dst
}

interface ConvRun {
  /** The NHWC tensor convolved (x, or dy for the input gradient), padded by `pads` first. */
  src: TensorInfo
  pads: Pads
  filter: TensorInfo
  g: ConvGeometry
  /** Use the filter flipped with its channel axes swapped (the input gradient). */
  flipSwap: boolean
  bias: TensorInfo | null
  relu: boolean
  outShape: number[]
}

/** Pads the source, packs the filter and runs the generated `conv` into a new output. */
function runConv(backend: BackendWasm, env: { memory: WebAssembly.Memory; fma: boolean }, r: ConvRun): TensorInfo {
  const [out] = withOutputs(backend, [r.outShape], ([y], heap, scratch) => {
    const src = padded(heap, scratch, offsetOf(backend, r.src), r.src.shape, r.pads)
    const w = packFilter(heap, scratch, offsetOf(backend, r.filter), r.g, r.flipSwap)
    const conv = kernelExports(env.memory, convModuleWat({ ...r.g, bias: r.bias !== null, relu: r.relu, fma: env.fma })).conv as ConvFn
    conv(src, w, r.bias ? offsetOf(backend, r.bias) : 0, offsetOf(backend, y), r.src.shape[0])
  })
  return out
}

interface Conv2DAttrs {
  strides: [number, number] | number
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding
  dataFormat: 'NHWC' | 'NCHW'
  dilations: [number, number] | number
  dimRoundingMode?: 'floor' | 'round' | 'ceil'
}

/** Taps are unrolled in the generated code: larger kernels go to XNNPACK. */
const MAX_TAPS = 49

function stride1Info(xShape: number[], filterShape: number[], attrs: Conv2DAttrs): backend_util.Conv2DInfo | null {
  if (attrs.dataFormat !== 'NHWC') return null
  if (filterShape[0] * filterShape[1] > MAX_TAPS) return null
  const info = backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
  )
  if (info.strideHeight !== 1 || info.strideWidth !== 1 || info.dilationHeight !== 1 || info.dilationWidth !== 1) return null
  const p = info.padInfo
  if (p.top < 0 || p.bottom < 0 || p.left < 0 || p.right < 0) return null
  if (info.outHeight < 1 || info.outWidth < 1) return null
  return info
}

/**
 * Forward stride-1 convolution (+ bias, + ReLU). Null when not covered: the caller uses the stock
 * kernel.
 */
export function tryFastConv2D(
  backend: BackendWasm,
  x: TensorInfo,
  filter: TensorInfo,
  bias: TensorInfo | null,
  relu: boolean,
  attrs: Conv2DAttrs,
): TensorInfo | null {
  const env = generatedEnv(backend, x, filter, ...(bias ? [bias] : []))
  if (!env) return null
  const info = stride1Info(x.shape, filter.shape, attrs)
  if (!info) return null
  const [kh, kw, cin, cout] = filter.shape
  if (cout % 4 !== 0) return null
  if (bias && (bias.shape.length !== 1 || bias.shape[0] !== cout)) return null
  const [n, h, w] = x.shape
  const p = info.padInfo
  const g: ConvGeometry = { cin, cout, kh, kw, hp: h + p.top + p.bottom, wp: w + p.left + p.right }
  if (g.hp - kh + 1 !== info.outHeight || g.wp - kw + 1 !== info.outWidth) return null
  const out = runConv(backend, env, { src: x, pads: p, filter, g, flipSwap: false, bias, relu, outShape: [n, info.outHeight, info.outWidth, cout] })
  fastConvCalls.forward++
  return out
}

/** Input gradient of a stride-1 convolution: dy padded, convolved with the flipped, swapped filter. */
export function tryFastConvInputGrad(
  backend: BackendWasm,
  dy: TensorInfo,
  filter: TensorInfo,
  inputShape: number[],
  attrs: Conv2DAttrs,
): TensorInfo | null {
  const env = generatedEnv(backend, dy, filter)
  if (!env) return null
  const info = stride1Info(inputShape, filter.shape, attrs)
  if (!info) return null
  const [kh, kw, cin, cout] = filter.shape
  if (cin % 4 !== 0) return null
  const [, ho, wo] = dy.shape
  if (ho !== info.outHeight || wo !== info.outWidth) return null
  const p = info.padInfo
  // Negative where the forward padding exceeds kernel − 1: those rows of dy are cropped.
  const pads: Pads = { top: kh - 1 - p.top, bottom: kh - 1 - p.bottom, left: kw - 1 - p.left, right: kw - 1 - p.right }
  // The gradient's convolution: cout → cin channels over dy padded.
  const g: ConvGeometry = { cin: cout, cout: cin, kh, kw, hp: ho + pads.top + pads.bottom, wp: wo + pads.left + pads.right }
  if (g.hp - kh + 1 !== inputShape[1] || g.wp - kw + 1 !== inputShape[2]) return null
  const dx = runConv(backend, env, { src: dy, pads, filter, g, flipSwap: true, bias: null, relu: false, outShape: inputShape })
  fastConvCalls.inputGrad++
  return dx
}

/** Filter gradient of a stride-1 convolution: Σ over pixels of x (padded) × dy, per tap. */
export function tryFastConvFilterGrad(
  backend: BackendWasm,
  x: TensorInfo,
  dy: TensorInfo,
  filterShape: number[],
  attrs: Conv2DAttrs,
): TensorInfo | null {
  const env = generatedEnv(backend, x, dy)
  if (!env) return null
  const info = stride1Info(x.shape, filterShape, attrs)
  if (!info) return null
  const [kh, kw, cin, cout] = filterShape
  if (cout % 4 !== 0) return null
  const [n, h, w] = x.shape
  const [, ho, wo] = dy.shape
  if (ho !== info.outHeight || wo !== info.outWidth) return null
  const p = info.padInfo
  // Rows/columns past the last one the forward pass read are never used: pad up to it, or crop.
  const pads: Pads = { top: p.top, left: p.left, bottom: ho + kh - 1 - h - p.top, right: wo + kw - 1 - w - p.left }
  const g: ConvGeometry = { cin, cout, kh, kw, hp: h + pads.top + pads.bottom, wp: w + pads.left + pads.right }
  const [dw] = withOutputs(backend, [filterShape], ([out], heap, scratch) => {
    const xp = padded(heap, scratch, offsetOf(backend, x), x.shape, pads)
    const dwPtr = offsetOf(backend, out)
    heap.HEAPF32.fill(0, dwPtr >>> 2, (dwPtr >>> 2) + kh * kw * cin * cout)
    const text = filterGradModuleWat({ ...g, chunkRows: defaultChunkRows(g), fma: env.fma })
    const run = kernelExports(env.memory, text).wgrad as FilterGradFn
    run(xp, offsetOf(backend, dy), dwPtr, n)
  })
  fastConvCalls.filterGrad++
  return dw
}
