/**
 * Picks the fastest tfjs backend that loads on this machine and says why the others did not.
 * Order: tfjs-node-gpu (CUDA), tfjs-node (native CPU), wasm with LabelLoop's training kernels, cpu.
 * The native packages are optional dependencies that are often absent or fail to load (tfjs-node-gpu
 * 4.22 needs CUDA 11.2 + cuDNN 8.1, not 12, and has no macOS GPU build); every failure is recorded
 * with its reason and never crashes the caller.
 */
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
// tfjs-core's Node bundle registers no gradient functions; tfjs-layers' bundle registers them all.
import '@tensorflow/tfjs-layers'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import { createRequire } from 'node:module'
import path from 'node:path'
import { AppError } from '../contract/errors'
import { registerTrainingKernels } from './kernels'
import { prepareGeneratedKernels } from './kernels/generated/runtime'

/** Backends LabelLoop knows, in order of preference. */
export const BACKEND_ORDER = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const
export type BackendName = (typeof BACKEND_ORDER)[number]

/** One backend that was tried, for the run's report. */
export interface BackendAttempt {
  name: BackendName
  ok: boolean
  reason?: string
}

/** The chosen backend (tfjs name), a human-readable device and every attempt made. */
export interface BackendChoice {
  name: string
  device: string
  tried: BackendAttempt[]
}

const FILE = 'core/train/backend.ts'
const NATIVE_PACKAGE: Record<'tensorflow-gpu' | 'tensorflow', string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
}

let wasmPathsSet = false

/**
 * Points the wasm backend at the .wasm files inside node_modules by absolute path, so it loads the
 * same way under plain Node, Electron's utilityProcess (where bundling moves __dirname) and tests.
 */
export function configureWasmPaths(): void {
  if (wasmPathsSet) return
  const require = createRequire(import.meta.url)
  const dir = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')
  setWasmPaths(dir + path.sep)
  wasmPathsSet = true
}

function message(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err)
  return text.split('\n')[0].slice(0, 300)
}

async function tryNative(name: 'tensorflow-gpu' | 'tensorflow'): Promise<string> {
  const pkg = NATIVE_PACKAGE[name]
  try {
    await import(/* @vite-ignore */ pkg)
  } catch (err) {
    const hint = name === 'tensorflow-gpu' ? ' (tfjs-node-gpu 4.22 needs CUDA 11.2 + cuDNN 8.1; no macOS GPU build)' : ''
    throw new Error(`${pkg} did not load: ${message(err)}${hint}`)
  }
  if (!(await tf.setBackend('tensorflow'))) throw new Error(`${pkg} loaded but the 'tensorflow' backend did not start`)
  return name === 'tensorflow-gpu' ? 'CUDA GPU (libtensorflow)' : 'CPU (libtensorflow)'
}

async function tryWasm(): Promise<string> {
  configureWasmPaths()
  registerTrainingKernels()
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start')
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')
  const fast = await prepareGeneratedKernels()
  const kernels = fast.ready ? `LabelLoop kernels${fast.fma ? ' with FMA' : ''} + XNNPACK` : `XNNPACK (LabelLoop kernels off: ${fast.reason})`
  // tfjs' own wasm threads are off under Node; runs add data-parallel threads (core/train/parallel).
  return `CPU (WebAssembly${simd ? ' SIMD' : ''}, ${kernels}${threads ? ', multi-threaded' : ''})`
}

async function tryCpu(): Promise<string> {
  registerTrainingKernels()
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not start')
  return 'CPU (plain JavaScript)'
}

async function attempt(name: BackendName): Promise<string> {
  switch (name) {
    case 'tensorflow-gpu':
    case 'tensorflow':
      return tryNative(name)
    case 'wasm':
      return tryWasm()
    case 'cpu':
      return tryCpu()
  }
}

/**
 * Selects and activates a tfjs backend. With `force`, only that one is tried and failure throws an
 * AppError; otherwise the first that loads wins. tfjs prints warnings when a backend fails to
 * initialise; those are expected here and recorded in `tried`.
 */
export async function selectBackend(opts: { force?: BackendName } = {}): Promise<BackendChoice> {
  const order: readonly BackendName[] = opts.force ? [opts.force] : BACKEND_ORDER
  const tried: BackendAttempt[] = []
  for (const name of order) {
    try {
      const device = await attempt(name)
      tried.push({ name, ok: true })
      await tf.ready()
      return { name: tf.getBackend(), device, tried }
    } catch (err) {
      tried.push({ name, ok: false, reason: message(err) })
    }
  }
  const reasons = tried.map((t) => `${t.name}: ${t.reason ?? 'failed'}`).join('; ')
  throw new AppError('INTERNAL', `${FILE}: no tfjs backend could start (${reasons})`)
}
