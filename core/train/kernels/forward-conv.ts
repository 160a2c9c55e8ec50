/**
 * Conv2D and FusedConv2D for the wasm backend: stride-1 convolutions (the U-Net's 3×3 and 1×1
 * layers) run on LabelLoop's generated FMA kernels (generated/), everything else, and any case
 * those do not cover, on the stock XNNPACK kernel they replace. Also used by prediction.
 */
import {
  Conv2D,
  FusedConv2D,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { AppError } from '../../contract/errors'
import { tryFastConv2D } from './generated/conv-kernels'
import { stockKernel } from './stock'

type Args = { inputs: Record<string, TensorInfo | undefined>; backend: BackendWasm; attrs: NamedAttrMap }

function stock(kernelName: string): KernelConfig {
  const config = stockKernel(kernelName, 'wasm')
  if (!config) {
    throw new AppError('INTERNAL', `core/train/kernels/forward-conv.ts: the stock wasm ${kernelName} kernel was not registered before LabelLoop's`)
  }
  return config
}

function conv2D(args: Args): TensorInfo {
  const { x, filter } = args.inputs
  const fast = tryFastConv2D(args.backend, x!, filter!, null, false, args.attrs as never)
  return fast ?? (stock(Conv2D).kernelFunc(args as never) as TensorInfo)
}

function fusedConv2D(args: Args): TensorInfo {
  const { x, filter, bias, preluActivationWeights } = args.inputs
  const activation = (args.attrs.activation as string | undefined) ?? 'linear'
  const covered = preluActivationWeights === undefined && (activation === 'linear' || activation === 'relu')
  const fast = covered ? tryFastConv2D(args.backend, x!, filter!, bias ?? null, activation === 'relu', args.attrs as never) : null
  return fast ?? (stock(FusedConv2D).kernelFunc(args as never) as TensorInfo)
}

/** The stock kernels' setup (wasm kernels bind their C functions there) still has to run. */
function setupFor(kernelName: string): KernelConfig['setupFunc'] {
  return (backend) => stockKernel(kernelName, 'wasm')?.setupFunc?.(backend)
}

export const conv2DConfig: KernelConfig = {
  kernelName: Conv2D,
  backendName: 'wasm',
  setupFunc: setupFor(Conv2D),
  kernelFunc: conv2D as unknown as KernelFunc,
}

export const fusedConv2DConfig: KernelConfig = {
  kernelName: FusedConv2D,
  backendName: 'wasm',
  setupFunc: setupFor(FusedConv2D),
  kernelFunc: fusedConv2D as unknown as KernelFunc,
}
