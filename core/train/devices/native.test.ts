import { describe, expect, it } from 'vitest'
import { loadNative, NativeUnavailable, type NativeDeps } from './native'
import { parseNvidiaSmi } from './nvidia'

const RTX = { name: 'NVIDIA GeForce RTX 3060', memoryMiB: 12288, driver: '535.104.05' }

/** A machine as the native attempt sees it; every field overridable. */
function machine(over: Partial<NativeDeps> & { registered?: boolean } = {}): NativeDeps & { imported: string[] } {
  const imported: string[] = []
  let registered = over.registered ?? false
  return {
    imported,
    platform: 'linux',
    importPackage: async (pkg) => {
      imported.push(pkg)
      registered = true
    },
    tensorflowRegistered: () => registered,
    setBackend: async () => true,
    flags: () => ({ isGPUPackage: true, isUsingGpuDevice: true }),
    gpus: async () => ({ ok: true, gpus: [RTX] }),
    missingCudaLibraries: async () => [],
    ...over,
  }
}

function notFound(pkg: string): Error {
  return Object.assign(new Error(`Cannot find package '${pkg}' imported from /x/backend.ts`), { code: 'ERR_MODULE_NOT_FOUND' })
}

async function failure(p: Promise<string>): Promise<NativeUnavailable> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(NativeUnavailable)
  return err as NativeUnavailable
}

describe('loadNative', () => {
  it('names the CUDA device with its memory when libtensorflow really uses a GPU', async () => {
    expect(await loadNative('tensorflow-gpu', machine())).toBe('CUDA GPU (NVIDIA GeForce RTX 3060, 12288 MiB, driver 535.104.05; libtensorflow)')
  })

  it('an absent package is "not installed" with the install step, for either package', async () => {
    const absent = machine({ importPackage: async (pkg) => Promise.reject(notFound(pkg)) })
    const gpu = await failure(loadNative('tensorflow-gpu', absent))
    expect(gpu.message).toBe('@tensorflow/tfjs-node-gpu is not installed (npm skips it when its install cannot download libtensorflow)')
    expect(gpu.step).toMatch(/npm install.*storage\.googleapis\.com/)
    const cpu = await failure(loadNative('tensorflow', absent))
    expect(cpu.message).toMatch(/^@tensorflow\/tfjs-node is not installed/)
  })

  it('a package that is present but whose native library fails to load keeps the loader error', async () => {
    const broken = machine({ importPackage: async () => Promise.reject(new Error('libcudart.so.11.0: cannot open shared object file\nstack')) })
    const err = await failure(loadNative('tensorflow-gpu', broken))
    expect(err.message).toBe('@tensorflow/tfjs-node-gpu did not load: libcudart.so.11.0: cannot open shared object file (tfjs-node-gpu 4.22 needs CUDA 11.2 + cuDNN 8.1)')
  })

  it('loaded without a GPU device: says so with the reason from nvidia-smi, never "CUDA GPU"', async () => {
    const noDriver = machine({ flags: () => ({ isGPUPackage: true, isUsingGpuDevice: false }), gpus: async () => ({ ok: false, reason: 'no NVIDIA driver (nvidia-smi not found)' }) })
    const err = await failure(loadNative('tensorflow-gpu', noDriver))
    expect(err.message).toBe('@tensorflow/tfjs-node-gpu loaded but found no CUDA device: no NVIDIA driver (nvidia-smi not found)')
    expect(err.step).toMatch(/NVIDIA driver/)
  })

  it('a GPU without the CUDA 11.2 / cuDNN 8.1 libraries names the missing files and the install step', async () => {
    const noCuda = machine({ flags: () => ({ isGPUPackage: true, isUsingGpuDevice: false }), missingCudaLibraries: async () => ['libcudart.so.11.0', 'libcudnn.so.8'] })
    const err = await failure(loadNative('tensorflow-gpu', noCuda))
    expect(err.message).toBe(
      '@tensorflow/tfjs-node-gpu loaded but found no CUDA device: NVIDIA GeForce RTX 3060, 12288 MiB, driver 535.104.05 is present but libcudart.so.11.0 and libcudnn.so.8 are not on the library path',
    )
    expect(err.step).toMatch(/CUDA 11\.2 \+ cuDNN 8\.1/)
  })

  it('on macOS the GPU package is the CPU library, and the step points at WebGPU', async () => {
    const mac = machine({ platform: 'darwin', flags: () => ({ isGPUPackage: true, isUsingGpuDevice: false }) })
    const err = await failure(loadNative('tensorflow-gpu', mac))
    expect(err.message).toMatch(/found no CUDA device: macOS has no CUDA/)
    expect(err.step).toBe('tfjs-node-gpu has no macOS GPU build: WebGPU is used instead')
  })

  it('after a GPU package without a device, the CPU attempt reuses its library instead of loading a second one', async () => {
    const m = machine({ registered: true, flags: () => ({ isGPUPackage: true, isUsingGpuDevice: false }) })
    expect(await loadNative('tensorflow', m)).toBe('CPU (libtensorflow of tfjs-node-gpu, which found no CUDA device)')
    expect(m.imported).toEqual([])
  })

  it('tfjs-node alone is the native CPU', async () => {
    const m = machine({ flags: () => ({ isGPUPackage: false, isUsingGpuDevice: false }) })
    expect(await loadNative('tensorflow', m)).toBe('CPU (libtensorflow)')
    expect(m.imported).toEqual(['@tensorflow/tfjs-node'])
  })

  it('a backend that will not start is a failure, not a device', async () => {
    const err = await failure(loadNative('tensorflow', machine({ setBackend: async () => false })))
    expect(err.message).toBe("@tensorflow/tfjs-node loaded but the 'tensorflow' backend did not start")
  })
})

describe('parseNvidiaSmi', () => {
  it('reads name, memory and driver per line and tolerates [N/A] memory', () => {
    expect(parseNvidiaSmi('NVIDIA A100-SXM4-40GB, 40960, 550.54.15\nTesla T4, [N/A], 470.1\n')).toEqual([
      { name: 'NVIDIA A100-SXM4-40GB', memoryMiB: 40960, driver: '550.54.15' },
      { name: 'Tesla T4', memoryMiB: null, driver: '470.1' },
    ])
  })
})
