/**
 * ResizeNearestNeighborGrad for the cpu backend. The stock cpu kernel in tfjs 4.22 is wrong for
 * batch > 1 (every image after the first gets the wrong gradient), which breaks nearest-neighbour
 * upsampling (tfjs-layers' UpSampling2D) when training falls back to cpu, and would make cpu a false
 * reference for checking wasm. This one scatters dy back through the exact index mapping of the cpu
 * forward kernel (same align-corners / half-pixel rules), so it is the forward's true adjoint.
 */
import {
  ResizeNearestNeighborGrad,
  type KernelConfig,
  type NamedAttrMap,
  type ResizeNearestNeighborGradAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core'
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu'

/** Source index of output position `i` along one axis, as the cpu forward kernel computes it. */
function sourceIndex(i: number, inSize: number, outSize: number, alignCorners: boolean, halfPixel: boolean): number {
  const effIn = alignCorners && outSize > 1 ? inSize - 1 : inSize
  const effOut = alignCorners && outSize > 1 ? outSize - 1 : outSize
  const ratio = effIn / effOut
  const frac = halfPixel ? ratio * (i + 0.5) : ratio * i
  const nearest = Math.min(inSize - 1, alignCorners ? Math.round(frac) : Math.floor(frac))
  return halfPixel ? Math.max(0, nearest) : nearest
}

/**
 * Adds every dy value (NHWC, `outH`×`outW`) to the input pixel the forward pass copied it from;
 * `dx` (NHWC, `images` shape) must start zeroed.
 */
export function scatterNearestGrad(dyv: Float32Array, dx: Float32Array, imagesShape: number[], dyShape: number[], attrs: ResizeNearestNeighborGradAttrs): void {
  const [batch, inH, inW, depth] = imagesShape
  const [, outH, outW] = dyShape
  const rows = Array.from({ length: outH }, (_, r) => sourceIndex(r, inH, outH, attrs.alignCorners, attrs.halfPixelCenters))
  const cols = Array.from({ length: outW }, (_, c) => sourceIndex(c, inW, outW, attrs.alignCorners, attrs.halfPixelCenters))
  let o = 0
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < outH; r++) {
      const rowBase = (b * inH + rows[r]) * inW
      for (let c = 0; c < outW; c++) {
        const base = (rowBase + cols[c]) * depth
        for (let d = 0; d < depth; d++) dx[base + d] += dyv[o++]
      }
    }
  }
}

function resizeNearestNeighborGrad(args: { inputs: Record<string, TensorInfo>; backend: MathBackendCPU; attrs: NamedAttrMap }): TensorInfo {
  const { images, dy } = args.inputs
  const attrs = args.attrs as unknown as ResizeNearestNeighborGradAttrs
  const dyv = args.backend.data.get(dy.dataId).values as Float32Array
  const dx = new Float32Array(images.shape.reduce((a, b) => a * b, 1))
  scatterNearestGrad(dyv, dx, images.shape, dy.shape, attrs)
  return args.backend.makeTensorInfo(images.shape, 'float32', dx)
}

/** Kernel registration that replaces cpu's ResizeNearestNeighborGrad (wrong for batch > 1). */
export const resizeNearestNeighborGradCpuConfig: KernelConfig = {
  kernelName: ResizeNearestNeighborGrad,
  backendName: 'cpu',
  kernelFunc: resizeNearestNeighborGrad as unknown as KernelConfig['kernelFunc'],
}
