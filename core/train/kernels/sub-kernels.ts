/**
 * Runs registered kernels from inside another kernel, on the same backend, and frees the
 * intermediate results it made. A kernel built from other kernels must keep the engine's reference
 * counts right: every intermediate is released once with `backend.disposeData`, and the result is
 * handed back untouched (refCount 1, owned by the engine from then on). Reshape-like kernels that
 * share their input's data already call `incRef`, so releasing them is also balanced.
 */
import { getKernel, type KernelBackend, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core'
import { AppError } from '../../contract/errors'
import { stockKernel } from './stock'

/** A kernel call scope: `run` records every result; `dispose` frees all but the ones kept. */
export class SubKernels {
  private readonly made: TensorInfo[] = []

  constructor(
    private readonly backend: KernelBackend,
    private readonly backendName: string,
  ) {}

  /**
   * Runs kernel `name` and remembers its output as an intermediate. Where LabelLoop replaced the
   * kernel, the stock one runs: compositions are written against it (and a replacement's fast path,
   * tuned for layer shapes, has no business with, say, a whole image used as a filter).
   */
  run(name: string, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap = {}): TensorInfo {
    const config = stockKernel(name, this.backendName) ?? getKernel(name, this.backendName)
    if (config === undefined) {
      throw new AppError('INTERNAL', `core/train/kernels/sub-kernels.ts: kernel ${name} is not registered for ${this.backendName}`)
    }
    const out = config.kernelFunc({ inputs, backend: this.backend, attrs })
    if (Array.isArray(out)) {
      throw new AppError('INTERNAL', `core/train/kernels/sub-kernels.ts: kernel ${name} returned several tensors`)
    }
    this.made.push(out)
    return out
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape })
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm })
  }

  slice(x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    const unchanged = begin.every((b) => b === 0) && size.every((s, i) => s === x.shape[i])
    return unchanged ? x : this.run('Slice', { x }, { begin, size })
  }

  pad(x: TensorInfo, paddings: [number, number][]): TensorInfo {
    return paddings.every(([a, b]) => a === 0 && b === 0) ? x : this.run('PadV2', { x }, { paddings, constantValue: 0 })
  }

  /**
   * Inserts `stride - 1` zeros between neighbouring rows and columns of an NHWC tensor (the
   * "dilation" of dy that turns a strided convolution's gradient into a stride-1 convolution).
   * Done exactly with kernels: [N,H,1,W,1,C] padded to [N,H,sh,W,sw,C], then cropped.
   */
  dilate(x: TensorInfo, sh: number, sw: number): TensorInfo {
    if (sh === 1 && sw === 1) return x
    const [n, h, w, c] = x.shape
    const six = this.reshape(x, [n, h, 1, w, 1, c])
    const padded = this.pad(six, [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]])
    const flat = this.reshape(padded, [n, h * sh, w * sw, c])
    return this.slice(flat, [0, 0, 0, 0], [n, (h - 1) * sh + 1, (w - 1) * sw + 1, c])
  }

  /** Marks `keep` as the result and frees every other intermediate. */
  finish(keep: TensorInfo): TensorInfo {
    for (const t of this.made) {
      if (t !== keep) this.backend.disposeData(t.dataId)
    }
    this.made.length = 0
    return keep
  }

  /** Frees every intermediate (used when a kernel throws). */
  disposeAll(): void {
    for (const t of this.made) this.backend.disposeData(t.dataId)
    this.made.length = 0
  }
}
