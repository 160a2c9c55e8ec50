/**
 * Assembles the generated kernels (conv-codegen.ts, bn-codegen.ts) and instantiates them against the
 * memory of tfjs' wasm backend, so they read and write tensors in place.
 *
 * Assembly uses `wabt` (the WebAssembly Binary Toolkit's own text assembler, compiled to wasm): the
 * kernels are generated per layer shape, so they cannot be prebuilt. Loading wabt is asynchronous
 * and tfjs kernels are synchronous, hence `prepareGeneratedKernels()`, awaited when the wasm backend is
 * selected; until then, or if it fails, the kernels fall back to XNNPACK.
 */
import { RELAXED_SIMD_PROBE } from './conv-codegen'

interface Wabt {
  parseWat(filename: string, text: string, features?: Record<string, boolean>): {
    toBinary(options: Record<string, unknown>): { buffer: Uint8Array }
    destroy(): void
  }
}

interface State {
  wabt: Wabt
  /** Relaxed SIMD (fused multiply-add) validates in this engine. */
  fma: boolean
}

let state: State | null = null
let preparing: Promise<GeneratedKernelsStatus> | null = null
let disabledReason: string | null = null

/** What `prepareGeneratedKernels` found. */
export interface GeneratedKernelsStatus {
  ready: boolean
  fma: boolean
  /** Why the kernels are off (ready false). */
  reason?: string
}

const FEATURES = { simd: true, relaxed_simd: true }

/**
 * Loads the assembler and probes for relaxed SIMD. Idempotent; never throws (a failure leaves the
 * fallbacks (XNNPACK, plain loops) in charge and says why). `LABELLOOP_GENERATED_KERNELS=0` turns the
 * kernels off.
 */
export function prepareGeneratedKernels(): Promise<GeneratedKernelsStatus> {
  if (preparing) return preparing
  preparing = (async (): Promise<GeneratedKernelsStatus> => {
    if (process.env.LABELLOOP_GENERATED_KERNELS === '0') {
      disabledReason = 'turned off by LABELLOOP_GENERATED_KERNELS=0'
      return { ready: false, fma: false, reason: disabledReason }
    }
    try {
      const mod = (await import('wabt')) as unknown as { default: () => Promise<Wabt> }
      const wabt = await mod.default()
      const fma = WebAssembly.validate(assemble(wabt, RELAXED_SIMD_PROBE))
      state = { wabt, fma }
      return { ready: true, fma }
    } catch (err) {
      disabledReason = `the wasm assembler did not load: ${err instanceof Error ? err.message : String(err)}`
      return { ready: false, fma: false, reason: disabledReason }
    }
  })()
  return preparing
}

let enabled = true

/** Turns the generated kernels off (XNNPACK and plain loops take over) or back on: for benchmarks. */
export function setGeneratedKernelsEnabled(on: boolean): void {
  enabled = on
}

/** Whether generated kernels can run now, and with FMA. Null when they cannot. */
export function generatedKernelsState(): { fma: boolean } | null {
  return state && enabled ? { fma: state.fma } : null
}

function assemble(wabt: Wabt, text: string): BufferSource {
  const parsed = wabt.parseWat('labelloop-kernel.wat', text, FEATURES)
  try {
    return parsed.toBinary({}).buffer as BufferSource
  } finally {
    parsed.destroy()
  }
}

const modules = new Map<string, WebAssembly.Module>()
const assembly = { modules: 0, seconds: 0 }

/** Kernels assembled and compiled in this thread so far, and the time it took (for startup profiles). */
export function assemblyStats(): { modules: number; seconds: number } {
  return { ...assembly }
}
const instances = new WeakMap<WebAssembly.Memory, Map<string, WebAssembly.Instance>>()

/** Compiled modules are kept per generated text; there are a few per model (one per layer shape). */
const MAX_MODULES = 256

/**
 * The exports of the module for `text`, instantiated on `memory` (cached per memory and text).
 * Throws when `prepareGeneratedKernels` has not completed.
 */
export function kernelExports(memory: WebAssembly.Memory, text: string): WebAssembly.Exports {
  if (!state) throw new Error(`generated kernels are not ready${disabledReason ? ` (${disabledReason})` : ''}`)
  let perMemory = instances.get(memory)
  if (!perMemory) {
    perMemory = new Map()
    instances.set(memory, perMemory)
  }
  const cached = perMemory.get(text)
  if (cached) return cached.exports
  let mod = modules.get(text)
  if (!mod) {
    if (modules.size >= MAX_MODULES) modules.clear()
    const t0 = performance.now()
    mod = new WebAssembly.Module(assemble(state.wabt, text))
    assembly.modules++
    assembly.seconds += (performance.now() - t0) / 1000
    modules.set(text, mod)
  }
  if (perMemory.size >= MAX_MODULES) perMemory.clear()
  const instance = new WebAssembly.Instance(mod, { env: { memory } })
  perMemory.set(text, instance)
  return instance.exports
}
