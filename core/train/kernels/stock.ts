/**
 * The kernels LabelLoop replaced, kept so that a replacement can hand the cases it does not cover
 * back to them (for example a strided convolution back to XNNPACK's).
 */
import type { KernelConfig } from '@tensorflow/tfjs-core'

const replaced = new Map<string, KernelConfig>()

const key = (kernelName: string, backendName: string) => `${backendName}/${kernelName}`

/** Records the kernel `config` replaces (first registration wins; re-registering keeps it). */
export function rememberStock(stock: KernelConfig): void {
  const k = key(stock.kernelName, stock.backendName)
  if (!replaced.has(k)) replaced.set(k, stock)
}

/** The replaced kernel, or undefined when none was registered before LabelLoop's. */
export function stockKernel(kernelName: string, backendName: string): KernelConfig | undefined {
  return replaced.get(key(kernelName, backendName))
}
