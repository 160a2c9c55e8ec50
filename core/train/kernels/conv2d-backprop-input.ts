/**
 * Conv2DBackpropInput for the wasm backend (the stock wasm kernel is a slow scalar loop). Stride-1
 * cases run on the generated FMA kernel (generated/); the rest on XNNPACK's Conv2D. dx is a stride-1 convolution of dy (dilated by the stride, then padded or
 * cropped) with the filter flipped in both spatial axes and its in/out channel axes swapped.
 * Also used by tfjs for conv2dTranspose's forward pass.
 */
import {
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelBackend,
  type KernelConfig,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { forwardInfo, inputGradAxis } from './conv-geometry'
import { tryFastConvInputGrad } from './generated/conv-kernels'
import { SubKernels } from './sub-kernels'

const FILE = 'core/train/kernels/conv2d-backprop-input.ts'

function conv2dBackpropInput(args: { inputs: Record<string, TensorInfo>; backend: KernelBackend; attrs: NamedAttrMap }): TensorInfo {
  const { dy, filter } = args.inputs
  const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs
  const info = forwardInfo(FILE, attrs.inputShape, filter.shape, attrs.strides, attrs.pad, attrs.dataFormat, attrs.dimRoundingMode)
  const fast = tryFastConvInputGrad(args.backend as unknown as BackendWasm, dy, filter, attrs.inputShape, { ...attrs, dilations: 1 })
  if (fast) return fast
  const k = new SubKernels(args.backend, 'wasm')
  try {
    const rows = inputGradAxis(info.inHeight, info.outHeight, info.filterHeight, info.strideHeight, info.padInfo.top)
    const cols = inputGradAxis(info.inWidth, info.outWidth, info.filterWidth, info.strideWidth, info.padInfo.left)
    const dilated = k.dilate(dy, info.strideHeight, info.strideWidth)
    const [n, h, w, c] = dilated.shape
    const cropped = k.slice(dilated, [0, rows.cropBefore, cols.cropBefore, 0], [
      n,
      h - rows.cropBefore - rows.cropAfter,
      w - cols.cropBefore - cols.cropAfter,
      c,
    ])
    const flipped = k.run('Reverse', { x: filter }, { dims: [0, 1] })
    const swapped = k.transpose(flipped, [0, 1, 3, 2])
    const dx = k.run('Conv2D', { x: cropped, filter: swapped }, {
      strides: [1, 1],
      pad: [[0, 0], [rows.padBefore, rows.padAfter], [cols.padBefore, cols.padAfter], [0, 0]],
      dataFormat: 'NHWC',
      dilations: [1, 1],
    })
    return k.finish(dx)
  } catch (err) {
    k.disposeAll()
    throw err
  }
}

/** Kernel registration for wasm's Conv2DBackpropInput (replaces the stock one). */
export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput as unknown as KernelConfig['kernelFunc'],
}
