/**
 * Picks the fastest tfjs backend that loads on this machine and says why the others did not.
 * Order: tfjs-node-gpu (CUDA), tfjs-node (native CPU), wasm with LabelLoop's training kernels, cpu.
 * The native packages are optional dependencies that are often absent (npm skips them when their
 * install cannot download libtensorflow) or load without a GPU (tfjs-node-gpu 4.22 needs CUDA 11.2 +
 * cuDNN 8.1, not 12, and has no macOS GPU build): devices/native.ts checks the device really used.
 * Every failure is recorded with its reason and the step that would enable it, never crashing the caller.
 */
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
// tfjs-core's Node bundle registers no gradient functions; tfjs-layers' bundle registers them all.
import '@tensorflow/tfjs-layers'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import { createRequire } from 'node:module'
import path from 'node:path'
import { AppError } from '../contract/errors'
import { registerCompositeTrainingKernels } from './devices/composite-kernels'
import { loadNative, NativeUnavailable, type NativeDeps, type NativeFlags } from './devices/native'
import { missingCudaLibraries, queryNvidiaGpus } from './devices/nvidia'
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
  /** For a failure: the one step that would make this backend load. */
  step?: string
}

/** The chosen backend (tfjs name), a human-readable device and every attempt made. */
export interface BackendChoice {
  name: string
  device: string
  tried: BackendAttempt[]
}

const FILE = 'core/train/backend.ts'

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

function nativeFlags(): NativeFlags {
  const b = tf.backend() as unknown as { isGPUPackage?: unknown; isUsingGpuDevice?: unknown }
  return { isGPUPackage: b.isGPUPackage === true, isUsingGpuDevice: b.isUsingGpuDevice === true }
}

/** The real loaders of the native packages (tests inject their own). */
export const realNativeDeps: NativeDeps = {
  platform: process.platform,
  importPackage: (pkg) => import(/* @vite-ignore */ pkg),
  tensorflowRegistered: () => Boolean(tf.findBackendFactory('tensorflow')),
  setBackend: (name) => {
    // LabelLoop's batch-norm kernels exist for wasm and cpu only; libtensorflow gets the composed ones.
    registerCompositeTrainingKernels(name)
    return tf.setBackend(name)
  },
  flags: nativeFlags,
  gpus: () => queryNvidiaGpus(),
  missingCudaLibraries: () => missingCudaLibraries(),
}

/** How each backend is attempted; injectable for tests of the decision. */
export interface BackendAttempters {
  native: NativeDeps
  wasm: () => Promise<string>
  cpu: () => Promise<string>
}

const realAttempters: BackendAttempters = { native: realNativeDeps, wasm: tryWasm, cpu: tryCpu }

async function attempt(name: BackendName, attempters: BackendAttempters): Promise<string> {
  switch (name) {
    case 'tensorflow-gpu':
    case 'tensorflow':
      return loadNative(name, attempters.native)
    case 'wasm':
      return attempters.wasm()
    case 'cpu':
      return attempters.cpu()
  }
}

const FALLBACK_STEP: Record<'wasm' | 'cpu', string> = {
  wasm: 'run on Node 22 or Electron (WebAssembly SIMD) with node_modules/@tensorflow/tfjs-backend-wasm/dist present',
  cpu: 'reinstall: npm ci',
}

/** One backend tried on its own: the device when it loads, else why not and the step that would enable it. */
export type BackendTrial = { name: BackendName; ok: true; tfName: string; device: string } | (BackendAttempt & { ok: false })

/** Tries one backend and activates it when it loads; never throws. */
export async function tryBackend(name: BackendName, attempters: BackendAttempters = realAttempters): Promise<BackendTrial> {
  try {
    const device = await attempt(name, attempters)
    await tf.ready()
    return { name, ok: true, tfName: tf.getBackend(), device }
  } catch (err) {
    const step = err instanceof NativeUnavailable ? err.step : name === 'wasm' || name === 'cpu' ? FALLBACK_STEP[name] : undefined
    return { name, ok: false, reason: message(err), ...(step ? { step } : {}) }
  }
}

/**
 * Selects and activates a tfjs backend. With `force`, only that one is tried and failure throws an
 * AppError; otherwise the first that loads wins. tfjs prints warnings when a backend fails to
 * initialise; those are expected here and recorded in `tried`.
 */
export async function selectBackend(opts: { force?: BackendName; attempters?: BackendAttempters } = {}): Promise<BackendChoice> {
  const order: readonly BackendName[] = opts.force ? [opts.force] : BACKEND_ORDER
  const tried: BackendAttempt[] = []
  for (const name of order) {
    const trial = await tryBackend(name, opts.attempters)
    if (trial.ok) {
      tried.push({ name, ok: true })
      return { name: trial.tfName, device: trial.device, tried }
    }
    tried.push(trial)
  }
  const reasons = tried.map((t) => `${t.name}: ${t.reason ?? 'failed'}`).join('; ')
  throw new AppError('INTERNAL', `${FILE}: no tfjs backend could start (${reasons})`)
}

/** Short label of a backend for one-line summaries. */
const LABEL: Record<BackendName, string> = { 'tensorflow-gpu': 'CUDA', tensorflow: 'libtensorflow CPU', wasm: 'WebAssembly', cpu: 'plain JS' }

/**
 * The run's device line: the device that trains, then why each preferred backend was not used, e.g.
 * "CPU (WebAssembly SIMD, …) — not used: CUDA (@tensorflow/tfjs-node-gpu is not installed …), …".
 */
export function deviceLine(choice: Pick<BackendChoice, 'device' | 'tried'>): string {
  const skipped = choice.tried.filter((t) => !t.ok).map((t) => `${LABEL[t.name]}: ${t.reason ?? 'failed'}`)
  return skipped.length > 0 ? `${choice.device} — not used: ${skipped.join('; ')}` : choice.device
}
