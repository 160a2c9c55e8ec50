/**
 * Identity for the wasm backend without a copy. tfjs clones every tensor a gradient keeps for the
 * backward pass (and `tf.clone`) through Identity; wasm's stock kernel copies the whole buffer each
 * time (359 copies per U-Net training step, 4 % of it). Sharing the buffer and counting the
 * reference, as wasm's own Reshape and the cpu backend's Identity do, is equivalent: no wasm kernel
 * writes into its inputs.
 */
import { Identity, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { stockKernel } from './stock'

function identity(args: { inputs: { x: TensorInfo }; backend: BackendWasm }): TensorInfo {
  const { x } = args.inputs
  if (x.dtype === 'string') return stockKernel(Identity, 'wasm')!.kernelFunc(args as never) as TensorInfo
  args.backend.incRef(x.dataId)
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype }
}

export const identityWasmConfig: KernelConfig = {
  kernelName: Identity,
  backendName: 'wasm',
  kernelFunc: identity as unknown as KernelFunc,
}
