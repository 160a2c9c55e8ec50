import { describe, expect, it } from 'vitest'
import { chooseBrowserGpu, type WebGpuAdapterFacts } from './gpu-choice'

const SWIFTSHADER: WebGpuAdapterFacts = { vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter: true }
const APPLE: WebGpuAdapterFacts = { vendor: 'apple', architecture: 'metal-3', description: '', isFallbackAdapter: false }

describe('chooseBrowserGpu', () => {
  it('uses a hardware WebGPU adapter when there is no CUDA device', () => {
    expect(chooseBrowserGpu({ cuda: false, webgpu: APPLE, webglRenderer: 'ANGLE (Apple, M2)' })).toEqual({ backend: 'webgpu', reason: 'WebGPU on apple metal-3 (no CUDA device)' })
  })

  it('leaves the GPU window alone when CUDA trains', () => {
    expect(chooseBrowserGpu({ cuda: true, webgpu: APPLE, webglRenderer: null }).backend).toBeNull()
  })

  it('never trains on the SwiftShader adapter, and says why', () => {
    const choice = chooseBrowserGpu({ cuda: false, webgpu: SWIFTSHADER, webglRenderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)' })
    expect(choice.backend).toBeNull()
    expect(choice.reason).toBe(
      'no GPU for the browser engine: the WebGPU adapter is a fallback (software) adapter (google, swiftshader): it runs on the CPU, slower than the wasm trainer; WebGL renders in software (ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver))',
    )
  })

  it('a software architecture without the fallback flag is still software', () => {
    expect(chooseBrowserGpu({ cuda: false, webgpu: { ...SWIFTSHADER, isFallbackAdapter: false }, webglRenderer: null }).backend).toBeNull()
  })

  it('falls back to a hardware WebGL when WebGPU is missing, naming both', () => {
    expect(chooseBrowserGpu({ cuda: false, webgpu: null, webglRenderer: 'ANGLE (Intel, Mesa Intel(R) UHD Graphics 620)' })).toEqual({
      backend: 'webgl',
      reason: 'WebGL on ANGLE (Intel, Mesa Intel(R) UHD Graphics 620) (no WebGPU adapter)',
    })
    expect(chooseBrowserGpu({ cuda: false, webgpu: null, webglRenderer: 'llvmpipe (LLVM 15.0.6, 256 bits)' }).backend).toBeNull()
  })
})
