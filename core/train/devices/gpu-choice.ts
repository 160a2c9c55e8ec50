/**
 * Whether the desktop app should train in its hidden browser-engine window (WebGPU, else WebGL) and
 * why. The window is for GPUs that CUDA cannot use (Apple, AMD, Intel, or NVIDIA without CUDA 11.2);
 * it is never chosen for a software adapter — SwiftShader (WebGPU's fallback adapter, vendor "google",
 * architecture "swiftshader"), llvmpipe or Microsoft's Basic Render Driver — because those run the
 * GPU kernels on the CPU, far slower than the wasm trainer with LabelLoop's kernels on every core.
 */

/** What navigator.gpu.requestAdapter() reported (adapter.info plus isFallbackAdapter). */
export interface WebGpuAdapterFacts {
  vendor: string
  architecture: string
  description: string
  isFallbackAdapter: boolean
}

/** What the browser engine knows about the machine's GPUs. */
export interface BrowserGpuFacts {
  /** True when tfjs-node-gpu found a CUDA device (core/train/devices/native.ts). */
  cuda: boolean
  /** null: navigator.gpu is missing or requestAdapter() returned null. */
  webgpu: WebGpuAdapterFacts | null
  /** The unmasked WebGL renderer string (WEBGL_debug_renderer_info), or null without WebGL 2. */
  webglRenderer: string | null
}

/** The decision, with the sentence the run and the Device panel show. */
export interface BrowserGpuChoice {
  backend: 'webgpu' | 'webgl' | null
  reason: string
}

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render driver|mesa offscreen/i

/** Why a WebGPU adapter is software, or null for a hardware adapter. */
export function softwareWebGpu(a: WebGpuAdapterFacts): string | null {
  if (a.isFallbackAdapter) return `the WebGPU adapter is a fallback (software) adapter (${a.vendor || 'unknown vendor'}, ${a.architecture || 'unknown architecture'})`
  if (SOFTWARE_RENDERER.test(a.architecture) || SOFTWARE_RENDERER.test(a.description)) return `the WebGPU adapter is software (${a.architecture || a.description})`
  return null
}

/** Picks the browser-engine GPU backend for training, or none, saying why. */
export function chooseBrowserGpu(facts: BrowserGpuFacts): BrowserGpuChoice {
  if (facts.cuda) return { backend: null, reason: 'CUDA trains (tfjs-node-gpu): the browser engine GPU is not needed' }
  const why: string[] = []
  if (facts.webgpu) {
    const software = softwareWebGpu(facts.webgpu)
    if (!software) {
      const { vendor, architecture } = facts.webgpu
      return { backend: 'webgpu', reason: `WebGPU on ${[vendor, architecture].filter(Boolean).join(' ') || 'a hardware adapter'} (no CUDA device)` }
    }
    why.push(`${software}: it runs on the CPU, slower than the wasm trainer`)
  } else why.push('no WebGPU adapter')
  if (facts.webglRenderer && !SOFTWARE_RENDERER.test(facts.webglRenderer)) {
    return { backend: 'webgl', reason: `WebGL on ${facts.webglRenderer} (${why.join('; ')})` }
  }
  why.push(facts.webglRenderer ? `WebGL renders in software (${facts.webglRenderer})` : 'no WebGL 2')
  return { backend: null, reason: `no GPU for the browser engine: ${why.join('; ')}` }
}
