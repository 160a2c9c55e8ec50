/**
 * LabelLoop's training kernels: for wasm, stride-1 convolutions and their gradients on generated
 * FMA kernels (generated/), other convolution gradients on XNNPACK's Conv2D, a correct
 * MaxPoolGrad, a copy-free Identity and a fast nearest-upsampling gradient; for cpu, a correct ResizeNearestNeighborGrad;
 * for both, batch-norm statistics and gradient kernels. Register once per process, before or
 * after the backends start.
 *
 * Not covered on purpose: wasm's Conv3DBackpropFilterV2 is wrong for stride > 1 in tfjs 4.22, but
 * LabelLoop's models use no 3D convolutions, so it is left alone.
 */
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core'
import { batchNormKernelConfigs } from './batch-norm-kernels'
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter'
import { conv2dBackpropInputConfig } from './conv2d-backprop-input'
import { conv2DConfig, fusedConv2DConfig } from './forward-conv'
import { identityWasmConfig } from './identity-wasm'
import { maxPoolGradConfig } from './max-pool-grad'
import { resizeNearestNeighborGradCpuConfig } from './resize-nearest-grad-cpu'
import { resizeNearestNeighborGradWasmConfig } from './resize-nearest-grad-wasm'
import { rememberStock } from './stock'

/** Every kernel this folder registers. */
export const trainingKernels: readonly KernelConfig[] = [
  conv2DConfig,
  fusedConv2DConfig,
  identityWasmConfig,
  conv2dBackpropInputConfig,
  conv2dBackpropFilterConfig,
  maxPoolGradConfig,
  resizeNearestNeighborGradCpuConfig,
  resizeNearestNeighborGradWasmConfig,
  ...batchNormKernelConfigs,
]

/** Registers (replacing the stock ones where they exist) LabelLoop's training kernels. Idempotent. */
export function registerTrainingKernels(): void {
  for (const config of trainingKernels) {
    const current = getKernel(config.kernelName, config.backendName)
    if (current === config) continue
    if (current !== undefined) {
      rememberStock(current)
      unregisterKernel(config.kernelName, config.backendName)
    }
    registerKernel(config)
  }
}
