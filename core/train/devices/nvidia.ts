/**
 * What the machine says about NVIDIA GPUs and the CUDA libraries tfjs-node-gpu 4.22 links against,
 * without loading anything: `nvidia-smi` for the GPUs (name, memory, driver) and the dynamic linker's
 * search path for libcudart 11 and cuDNN 8. Used to explain why libtensorflow found no CUDA device.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

/** One GPU as nvidia-smi reports it. */
export interface NvidiaGpu {
  name: string
  memoryMiB: number | null
  driver: string
}

/** The GPUs nvidia-smi lists, or why it could not be asked. */
export type GpuQuery = { ok: true; gpus: NvidiaGpu[] } | { ok: false; reason: string }

/** Runs a program with a timeout; resolves to stdout or rejects with the error. */
export type RunProgram = (file: string, args: string[], timeoutMs: number) => Promise<string>

const runProgram: RunProgram = (file, args, timeoutMs) =>
  new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout) => (err ? reject(err) : resolve(stdout)))
  })

/** Parses `nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader,nounits`. */
export function parseNvidiaSmi(stdout: string): NvidiaGpu[] {
  return stdout
    .split('\n')
    .map((line) => line.split(',').map((s) => s.trim()))
    .filter((cols) => cols.length >= 3 && cols[0] !== '')
    .map(([name, memory, driver]) => ({ name, memoryMiB: Number.isFinite(Number(memory)) ? Number(memory) : null, driver }))
}

/** Asks nvidia-smi for the GPUs (5 s at most); a missing program or a driver error is a reason, never a throw. */
export async function queryNvidiaGpus(run: RunProgram = runProgram): Promise<GpuQuery> {
  try {
    const out = await run('nvidia-smi', ['--query-gpu=name,memory.total,driver_version', '--format=csv,noheader,nounits'], 5000)
    const gpus = parseNvidiaSmi(out)
    return gpus.length > 0 ? { ok: true, gpus } : { ok: false, reason: 'nvidia-smi lists no GPU' }
  } catch (err) {
    const code = (err as { code?: unknown }).code
    if (code === 'ENOENT') return { ok: false, reason: 'no NVIDIA driver (nvidia-smi not found)' }
    const text = err instanceof Error ? err.message : String(err)
    return { ok: false, reason: `nvidia-smi failed: ${text.split('\n').filter(Boolean).slice(-1)[0] ?? text}` }
  }
}

/** "NVIDIA GeForce RTX 3060, 12288 MiB, driver 535.104" */
export function describeGpu(gpu: NvidiaGpu): string {
  return `${gpu.name}${gpu.memoryMiB !== null ? `, ${gpu.memoryMiB} MiB` : ''}, driver ${gpu.driver}`
}

/** The CUDA 11 runtime and cuDNN 8 files libtensorflow 2.9 (tfjs-node-gpu 4.22) opens on Linux. */
export const CUDA_LIBRARIES = ['libcudart.so.11.0', 'libcudnn.so.8'] as const

/**
 * The CUDA libraries that are not on the linker's path (LD_LIBRARY_PATH, the usual CUDA folders and
 * `ldconfig -p`); empty when all are found. Only meaningful on Linux.
 */
export async function missingCudaLibraries(env: NodeJS.ProcessEnv = process.env, run: RunProgram = runProgram): Promise<string[]> {
  const dirs = [...(env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean), '/usr/local/cuda/lib64', '/usr/lib/x86_64-linux-gnu']
  let cache = ''
  try {
    cache = await run('ldconfig', ['-p'], 5000)
  } catch {
    cache = ''
  }
  return CUDA_LIBRARIES.filter((lib) => !cache.includes(lib) && !dirs.some((d) => existsSync(join(d, lib))))
}
