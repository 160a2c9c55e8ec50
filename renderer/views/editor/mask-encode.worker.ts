/**
 * Worker that encodes a mask as the base64 PNG of `masks:save`, so saving a large mask (an 8,000² one
 * takes over a second to deflate) never freezes the page. Receives `EncodeRequest`, answers `EncodeReply`.
 */
import { maskToBase64Png } from '../../canvas/mask-codec'
import type { EncodeReply, EncodeRequest } from './mask-encoder'

const scope = self as unknown as { onmessage: ((e: MessageEvent<EncodeRequest>) => void) | null; postMessage(reply: EncodeReply): void }

scope.onmessage = (e) => {
  const { id, data, width, height } = e.data
  try {
    scope.postMessage({ id, base64: maskToBase64Png(data, width, height) })
  } catch (err) {
    scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) })
  }
}
