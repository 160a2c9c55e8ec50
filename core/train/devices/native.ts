/**
 * Loading libtensorflow through @tensorflow/tfjs-node(-gpu) and telling the truth about the device.
 * tfjs-node-gpu loads on machines without a usable GPU (no driver, wrong CUDA/cuDNN, macOS, where its
 * install fetches the CPU library) and then silently computes on the CPU; so after loading, the
 * backend's own `isUsingGpuDevice` decides, and nvidia-smi and the linker path explain a "no".
 * Every dependency is injected so the decision is testable without the packages or a GPU.
 */
import { describeGpu, type GpuQuery } from './nvidia'

/** The two native backends of backend.ts. */
export type NativeName = 'tensorflow-gpu' | 'tensorflow'

/** The npm package of each native backend. */
export const NATIVE_PACKAGE: Record<NativeName, string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
}

/** What the 'tensorflow' backend object says after activation (NodeJSKernelBackend fields). */
export interface NativeFlags {
  isGPUPackage: boolean
  isUsingGpuDevice: boolean
}

/** Everything the native attempt touches, injected. */
export interface NativeDeps {
  platform: NodeJS.Platform
  importPackage(pkg: string): Promise<unknown>
  /** Whether a 'tensorflow' backend is registered already (a package was imported earlier in this process). */
  tensorflowRegistered(): boolean
  setBackend(name: 'tensorflow'): Promise<boolean>
  flags(): NativeFlags
  gpus(): Promise<GpuQuery>
  missingCudaLibraries(): Promise<string[]>
}

/** A native attempt that did not end on the device it names, with the one step that would enable it. */
export class NativeUnavailable extends Error {
  constructor(
    message: string,
    readonly step: string,
  ) {
    super(message)
    this.name = 'NativeUnavailable'
  }
}

const INSTALL_STEP = 'run `npm install` on a machine that can reach storage.googleapis.com (the package downloads libtensorflow when it installs)'

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err)
  return text.split('\n')[0].slice(0, 300)
}

function isNotInstalled(err: unknown): boolean {
  const code = (err as { code?: unknown }).code
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find (package|module)/.test(firstLine(err))
}

/** Why tfjs-node-gpu runs on the CPU here, and the step that would give it a CUDA device. */
async function noCudaDevice(deps: NativeDeps): Promise<NativeUnavailable> {
  const say = (reason: string, step: string): NativeUnavailable =>
    new NativeUnavailable(`@tensorflow/tfjs-node-gpu loaded but found no CUDA device: ${reason}`, step)
  if (deps.platform === 'darwin') return say('macOS has no CUDA (its install fetched the CPU library)', 'tfjs-node-gpu has no macOS GPU build: WebGPU is used instead')
  const query = await deps.gpus()
  if (!query.ok) return say(query.reason, 'install the NVIDIA driver for a CUDA-capable GPU (then nvidia-smi lists it)')
  const gpu = describeGpu(query.gpus[0])
  const missing = deps.platform === 'linux' ? await deps.missingCudaLibraries() : []
  if (missing.length > 0) {
    return say(`${gpu} is present but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not on the library path`, 'install CUDA 11.2 + cuDNN 8.1 (libtensorflow 2.9 needs exactly these) and add their lib64 folder to LD_LIBRARY_PATH')
  }
  return say(`${gpu} is present but libtensorflow did not create a GPU device (CUDA 11.2 / cuDNN 8.1 version mismatch or an unsupported compute capability)`, 'install CUDA 11.2 + cuDNN 8.1 (libtensorflow 2.9 needs exactly these)')
}

/**
 * Loads one native package and activates the 'tensorflow' backend; resolves to the device line or
 * rejects with NativeUnavailable. When tfjs-node-gpu was loaded earlier in the process, the 'tensorflow'
 * attempt reuses its library on the CPU rather than loading a second libtensorflow beside it.
 */
export async function loadNative(name: NativeName, deps: NativeDeps): Promise<string> {
  const pkg = NATIVE_PACKAGE[name]
  const reused = name === 'tensorflow' && deps.tensorflowRegistered()
  if (!reused) {
    try {
      await deps.importPackage(pkg)
    } catch (err) {
      if (isNotInstalled(err)) {
        const step = name === 'tensorflow-gpu' && deps.platform === 'darwin' ? 'tfjs-node-gpu has no macOS GPU build: WebGPU is used instead' : INSTALL_STEP
        throw new NativeUnavailable(`${pkg} is not installed (npm skips it when its install cannot download libtensorflow)`, step)
      }
      const hint = name === 'tensorflow-gpu' ? ' (tfjs-node-gpu 4.22 needs CUDA 11.2 + cuDNN 8.1)' : ''
      throw new NativeUnavailable(`${pkg} did not load: ${firstLine(err)}${hint}`, `reinstall it: npm install ${pkg}`)
    }
  }
  if (!(await deps.setBackend('tensorflow'))) throw new NativeUnavailable(`${pkg} loaded but the 'tensorflow' backend did not start`, `reinstall it: npm install ${pkg}`)
  const flags = deps.flags()
  if (name === 'tensorflow') {
    return flags.isGPUPackage ? 'CPU (libtensorflow of tfjs-node-gpu, which found no CUDA device)' : 'CPU (libtensorflow)'
  }
  if (!flags.isGPUPackage) throw new NativeUnavailable(`${pkg} loaded but the 'tensorflow' backend is the CPU package's`, 'load only one of tfjs-node and tfjs-node-gpu per process')
  if (!flags.isUsingGpuDevice) throw await noCudaDevice(deps)
  const query = await deps.gpus()
  return query.ok ? `CUDA GPU (${describeGpu(query.gpus[0])}; libtensorflow)` : 'CUDA GPU (libtensorflow; nvidia-smi gave no name)'
}
