/**
 * The `pngBase64` of a mask for `masks:save`, encoded in a Web Worker when the mask is large (see
 * mask-encode.worker.ts) and in the page when it is small or when no worker can start. The mask's
 * buffer is transferred to the worker, so pass a copy (the editor's snapshot is one).
 */
import { AppError } from '../../../core/contract'
import { maskToBase64Png } from '../../canvas'

/** Masks of at least this many pixels (2,048²: about 0.1 s to encode) go to the worker. */
export const WORKER_MIN_PIXELS = 2048 * 2048

/** Message to the worker. */
export interface EncodeRequest {
  id: number
  data: Uint8Array
  width: number
  height: number
}

/** The worker's answer: the base64 PNG or an error message. */
export type EncodeReply = { id: number; base64: string } | { id: number; error: string }

/** Starts a worker, or null where workers are unavailable. */
export type WorkerFactory = () => Worker | null

const defaultFactory: WorkerFactory = () => {
  if (typeof Worker === 'undefined') return null
  try {
    return new Worker(new URL('./mask-encode.worker.ts', import.meta.url), { type: 'module' })
  } catch {
    return null
  }
}

/** Encodes masks, one worker reused across saves; see the module comment. */
export class MaskEncoder {
  private worker: Worker | null | undefined
  private next = 1
  private readonly pending = new Map<number, { resolve: (b64: string) => void; reject: (err: Error) => void }>()

  constructor(private readonly factory: WorkerFactory = defaultFactory) {}

  /** The base64 PNG of a width × height mask. */
  async encode(data: Uint8Array, width: number, height: number): Promise<string> {
    const worker = width * height >= WORKER_MIN_PIXELS ? this.start() : null
    if (!worker) return maskToBase64Png(data, width, height)
    const id = this.next++
    return new Promise<string>((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      worker.postMessage({ id, data, width, height } satisfies EncodeRequest, [data.buffer])
    })
  }

  /** Stops the worker; saves still waiting fail. */
  dispose(): void {
    this.worker?.terminate()
    this.worker = undefined
    this.failAll('the editor was closed while the mask was being encoded')
  }

  private start(): Worker | null {
    if (this.worker !== undefined) return this.worker
    const w = this.factory()
    this.worker = w
    if (!w) return null
    w.onmessage = (e: MessageEvent<EncodeReply>) => {
      const p = this.pending.get(e.data.id)
      if (!p) return
      this.pending.delete(e.data.id)
      if ('base64' in e.data) p.resolve(e.data.base64)
      else p.reject(new AppError('INTERNAL', `Encoding the mask for saving failed: ${e.data.error}`))
    }
    w.onerror = (e: ErrorEvent) => {
      this.worker = null
      this.failAll(`the mask encoder stopped (${e.message || 'worker error'})`)
    }
    return w
  }

  private failAll(reason: string): void {
    for (const p of this.pending.values()) p.reject(new AppError('INTERNAL', `Saving the mask failed: ${reason}`))
    this.pending.clear()
  }
}
