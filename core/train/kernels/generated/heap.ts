/**
 * Access to tfjs' wasm heap for the generated kernels: the memory they import, tensor offsets, and
 * scratch allocations through tfjs' own malloc.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { generatedKernelsState } from './runtime'

export interface Heap {
  HEAPF32: Float32Array
  _malloc(bytes: number): number
  _free(ptr: number): void
  asm?: { memory?: WebAssembly.Memory }
}

export function heapOf(backend: BackendWasm): Heap {
  return backend.wasm as unknown as Heap
}

/** tfjs' wasm memory when the generated kernels can import it (a plain, non-shared memory). */
function memoryOf(backend: BackendWasm): WebAssembly.Memory | null {
  const memory = heapOf(backend).asm?.memory
  if (!(memory instanceof WebAssembly.Memory)) return null
  if (typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer) return null
  return memory
}

/**
 * The memory and FMA flag when generated kernels can run on these float32 tensors, else null
 * (kernels not prepared, another dtype, a shared memory).
 */
export function generatedEnv(backend: BackendWasm, ...tensors: TensorInfo[]): { memory: WebAssembly.Memory; fma: boolean } | null {
  const s = generatedKernelsState()
  if (!s) return null
  if (tensors.some((t) => t.dtype !== 'float32')) return null
  const memory = memoryOf(backend)
  return memory ? { memory, fma: s.fma } : null
}

/** Byte offset of a tensor's data (unsigned: past 2 GB, wasm's i32 reads as negative in JavaScript). */
export function offsetOf(backend: BackendWasm, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId)!.memoryOffset >>> 0
}

/** Scratch allocations on the wasm heap, all freed by `free()`. */
export class Scratch {
  private readonly ptrs: number[] = []
  constructor(private readonly heap: Heap) {}

  alloc(floats: number): number {
    const ptr = this.heap._malloc(Math.max(4, 4 * floats)) >>> 0
    if (!ptr) throw new Error(`core/train/kernels/generated: out of wasm memory allocating ${4 * floats} bytes`)
    this.ptrs.push(ptr)
    return ptr
  }

  free(): void {
    for (const p of this.ptrs) this.heap._free(p)
    this.ptrs.length = 0
  }
}

/**
 * Makes float32 outputs of `shapes`, then runs `fill` with them, the heap and a scratch allocator.
 * Scratch is always freed; if `fill` throws, the outputs are freed too.
 */
export function withOutputs(
  backend: BackendWasm,
  shapes: number[][],
  fill: (outs: TensorInfo[], heap: Heap, scratch: Scratch) => void,
): TensorInfo[] {
  const outs = shapes.map((shape) => backend.makeOutput(shape, 'float32'))
  const heap = heapOf(backend)
  const scratch = new Scratch(heap)
  try {
    fill(outs, heap, scratch)
    return outs
  } catch (err) {
    for (const t of outs) backend.disposeData(t.dataId)
    throw err
  } finally {
    scratch.free()
  }
}
