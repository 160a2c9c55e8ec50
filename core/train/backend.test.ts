import * as tf from '@tensorflow/tfjs-core'
import { describe, expect, it } from 'vitest'
import { AppError } from '../contract/errors'
import { selectBackend } from './backend'

describe('selectBackend', () => {
  it('tries the native backends first, records why they failed, and settles on wasm with our kernels', async () => {
    const choice = await selectBackend()
    expect(choice.tried.map((t) => t.name)).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm'])
    const [gpu, native, wasm] = choice.tried
    // Neither native package is installed here: both fail with a reason naming the package.
    expect(gpu.ok).toBe(false)
    expect(gpu.reason).toMatch(/@tensorflow\/tfjs-node-gpu.*CUDA 11\.2/)
    expect(native.ok).toBe(false)
    expect(native.reason).toMatch(/@tensorflow\/tfjs-node/)
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
    await expect(selectBackend({ force: 'tensorflow' })).rejects.toThrow(/backend\.ts.*@tensorflow\/tfjs-node did not load/)
  })
})
