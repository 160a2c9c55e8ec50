/**
 * Electron transport: everything goes through the preload's `window.labelloop` bridge (IPC underneath).
 * Picked files already have host paths, so nothing is uploaded.
 */
import { AppError, ErrorDto, fromErrorDto, type ImageRendition, type Input, type Method, type Output } from '../../core/contract'
import { EventFanout } from './emitter'
import type { RendererClient } from './types'

export function createElectronClient(bridge: LabelLoopBridge): RendererClient {
  const fanout = new EventFanout()
  let unsubscribeBridge: (() => void) | null = null

  return {
    mode: 'electron',
    async invoke<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
      const reply = await bridge.invoke(method, input ?? {})
      if (reply.ok) return reply.result as Output<M>
      const parsed = ErrorDto.safeParse(reply.error)
      if (parsed.success) throw fromErrorDto(parsed.data)
      throw new AppError('INTERNAL', `${method}: malformed reply from the main process`)
    },
    on(event, listener) {
      unsubscribeBridge ??= bridge.on((name, payload) => fanout.emit(name, payload))
      return fanout.add(event, listener)
    },
    imageUrl(imageId: number, rendition: ImageRendition): string {
      return bridge.imageUrl(imageId, rendition)
    },
    async transferFiles(files, _purpose, opts = {}) {
      const paths = files.map((f) => bridge.getPathForFile(f.file))
      opts.onProgress?.(files.length, files.length)
      return paths
    },
    async filesToPaths(files) {
      return files.map((f) => bridge.getPathForFile(f))
    },
    onConnection(listener) {
      listener('live')
      return () => undefined
    },
    onMenu(listener) {
      return bridge.onMenu ? bridge.onMenu(listener) : () => undefined
    },
    dialogs: bridge.dialogs,
  }
}
