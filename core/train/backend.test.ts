import * as tf from '@tensorflow/tfjs-core'
import { describe, expect, it } from 'vitest'
import { AppError } from '../contract/errors'
import { deviceLine, realNativeDeps, selectBackend, type BackendAttempters } from './backend'

describe('selectBackend', () => {
  it('tries the native backends first, records why they failed, and settles on wasm with our kernels', async () => {
    const choice = await selectBackend()
    expect(choice.tried.map((t) => t.name)).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm'])
    const [gpu, native, wasm] = choice.tried
    // Neither native package is installed here (npm skipped both: their install could not download
    // libtensorflow): both fail with a reason naming the package and the step that would enable it.
    expect(gpu).toMatchObject({ ok: false, reason: expect.stringMatching(/^@tensorflow\/tfjs-node-gpu is not installed/), step: expect.stringMatching(/npm install/) })
    expect(native).toMatchObject({ ok: false, reason: expect.stringMatching(/^@tensorflow\/tfjs-node is not installed/) })
    expect(deviceLine(choice)).toMatch(/^CPU \(WebAssembly.* — not used: CUDA: @tensorflow\/tfjs-node-gpu is not installed.*; libtensorflow CPU: @tensorflow\/tfjs-node is not installed/)
    expect(wasm.ok).toBe(true)
    expect(choice.name).toBe('wasm')
    expect(tf.getBackend()).toBe('wasm')
    expect(choice.device).toMatch(/WebAssembly/)
    // The generated kernels are assembled and reported (Node 22's V8 has relaxed SIMD, hence FMA).
    expect(choice.device).toMatch(/LabelLoop kernels with FMA \+ XNNPACK/)
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined()
  })

  it('honours force, including the last-resort cpu', async () => {
    const choice = await selectBackend({ force: 'cpu' })
    expect(choice).toMatchObject({ name: 'cpu', tried: [{ name: 'cpu', ok: true }] })
    expect(tf.getBackend()).toBe('cpu')
    await selectBackend({ force: 'wasm' })
    expect(tf.getBackend()).toBe('wasm')
  })

  it('throws an AppError naming the reason when a forced backend cannot load', async () => {
    const failure = selectBackend({ force: 'tensorflow' })
    await expect(failure).rejects.toBeInstanceOf(AppError)
    await expect(selectBackend({ force: 'tensorflow' })).rejects.toThrow(/backend\.ts.*@tensorflow\/tfjs-node is not installed/)
  })

  it('tfjs-node-gpu without a CUDA device is recorded as such and training falls back to its CPU library', async () => {
    const calls: string[] = []
    const attempters: BackendAttempters = {
      native: {
        ...realNativeDeps,
        platform: 'linux',
        importPackage: async (pkg) => void calls.push(`import ${pkg}`),
        tensorflowRegistered: () => calls.length > 0,
        setBackend: async () => true,
        flags: () => ({ isGPUPackage: true, isUsingGpuDevice: false }),
        gpus: async () => ({ ok: false, reason: 'no NVIDIA driver (nvidia-smi not found)' }),
      },
      wasm: async () => 'never reached',
      cpu: async () => 'never reached',
    }
    const choice = await selectBackend({ attempters })
    expect(choice.tried).toEqual([
      { name: 'tensorflow-gpu', ok: false, reason: '@tensorflow/tfjs-node-gpu loaded but found no CUDA device: no NVIDIA driver (nvidia-smi not found)', step: expect.stringMatching(/NVIDIA driver/) },
      { name: 'tensorflow', ok: true },
    ])
    expect(choice.device).toBe('CPU (libtensorflow of tfjs-node-gpu, which found no CUDA device)')
    expect(calls).toEqual(['import @tensorflow/tfjs-node-gpu'])
    await selectBackend({ force: 'wasm' })
  })
})
