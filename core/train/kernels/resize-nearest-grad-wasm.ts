/**
 * ResizeNearestNeighborGrad for the wasm backend. The stock kernel is a slow scalar loop. For an
 * upsample by whole factors (kh, kw) without align-corners, every input pixel was copied to one
 * kh×kw block, so its gradient is the block's sum: a depthwise convolution with a kh×kw filter of
 * ones and stride (kh, kw), which XNNPACK runs fast. Any other resize is scattered on the heap
 * through the forward kernel's exact index mapping.
 */
import {
  ResizeNearestNeighborGrad,
  type KernelConfig,
  type NamedAttrMap,
  type ResizeNearestNeighborGradAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { scatterNearestGrad } from './resize-nearest-grad-cpu'
import { SubKernels } from './sub-kernels'

function resizeNearestNeighborGrad(args: { inputs: Record<string, TensorInfo>; backend: BackendWasm; attrs: NamedAttrMap }): TensorInfo {
  const { images, dy } = args.inputs
  const attrs = args.attrs as unknown as ResizeNearestNeighborGradAttrs
  const backend = args.backend
  const [, inH, inW, channels] = images.shape
  const [, outH, outW] = dy.shape
  const kh = outH / inH
  const kw = outW / inW
  if (!attrs.alignCorners && Number.isInteger(kh) && Number.isInteger(kw)) {
    const ones = backend.makeOutput([kh, kw, channels, 1], 'float32')
    ;(backend.typedArrayFromHeap(ones) as Float32Array).fill(1)
    const k = new SubKernels(backend, 'wasm')
    try {
      const dx = k.run('DepthwiseConv2dNative', { x: dy, filter: ones }, {
        strides: [kh, kw],
        pad: 'valid',
        dilations: [1, 1],
        dataFormat: 'NHWC',
      })
      return k.finish(dx)
    } catch (err) {
      k.disposeAll()
      throw err
    } finally {
      backend.disposeData(ones.dataId)
    }
  }
  const dx = backend.makeOutput(images.shape, 'float32')
  const dxv = backend.typedArrayFromHeap(dx) as Float32Array
  dxv.fill(0)
  scatterNearestGrad(backend.typedArrayFromHeap(dy) as Float32Array, dxv, images.shape, dy.shape, attrs)
  return dx
}

/** Kernel registration that replaces wasm's slow ResizeNearestNeighborGrad. */
export const resizeNearestNeighborGradWasmConfig: KernelConfig = {
  kernelName: ResizeNearestNeighborGrad,
  backendName: 'wasm',
  kernelFunc: resizeNearestNeighborGrad as unknown as KernelConfig['kernelFunc'],
}
