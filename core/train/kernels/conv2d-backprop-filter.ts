/**
 * Conv2DBackpropFilter for the wasm backend, which has none. Stride-1 cases run on the generated FMA
 * kernel (generated/). Otherwise dW is one XNNPACK Conv2D in which the
 * batch and channel axes trade places: x as [Cin, H, W, N] is convolved (stride 1) with dy as a
 * [Ho, Wo, N, Cout] filter dilated by the forward stride, giving [Cin, kh, kw, Cout], which is then
 * transposed to the filter's [kh, kw, Cin, Cout].
 */
import {
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelBackend,
  type KernelConfig,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { filterGradAxis, forwardInfo } from './conv-geometry'
import { tryFastConvFilterGrad } from './generated/conv-kernels'
import { SubKernels } from './sub-kernels'

const FILE = 'core/train/kernels/conv2d-backprop-filter.ts'

function conv2dBackpropFilter(args: { inputs: Record<string, TensorInfo>; backend: KernelBackend; attrs: NamedAttrMap }): TensorInfo {
  const { x, dy } = args.inputs
  const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs
  const info = forwardInfo(FILE, x.shape, attrs.filterShape, attrs.strides, attrs.pad, attrs.dataFormat, attrs.dimRoundingMode)
  const fast = tryFastConvFilterGrad(args.backend as unknown as BackendWasm, x, dy, attrs.filterShape, { ...attrs, dilations: 1 })
  if (fast) return fast
  const k = new SubKernels(args.backend, 'wasm')
  try {
    const rows = filterGradAxis(info.inHeight, info.outHeight, info.filterHeight, info.strideHeight, info.padInfo.top)
    const cols = filterGradAxis(info.inWidth, info.outWidth, info.filterWidth, info.strideWidth, info.padInfo.left)
    const [n, h, w, c] = x.shape
    const cropped = k.slice(x, [0, 0, 0, 0], [n, h - rows.cropAfter, w - cols.cropAfter, c])
    const xT = k.transpose(cropped, [3, 1, 2, 0])
    const dyT = k.transpose(dy, [1, 2, 0, 3])
    const grad = k.run('Conv2D', { x: xT, filter: dyT }, {
      strides: [1, 1],
      pad: [[0, 0], [rows.padBefore, rows.padAfter], [cols.padBefore, cols.padAfter], [0, 0]],
      dataFormat: 'NHWC',
      dilations: [info.strideHeight, info.strideWidth],
    })
    return k.finish(k.transpose(grad, [1, 2, 0, 3]))
  } catch (err) {
    k.disposeAll()
    throw err
  }
}

/** Kernel registration for wasm's missing Conv2DBackpropFilter. */
export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as KernelConfig['kernelFunc'],
}
