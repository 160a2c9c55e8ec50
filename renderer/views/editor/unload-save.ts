/**
 * Saving while the page goes away (tab closed, reload, window closed). Nothing async survives an
 * unload, so the mask is encoded synchronously and handed to a transport that outlives the page:
 * `navigator.sendBeacon` to the web host's `/api/call/masks:save` in browser mode (beacons carry the
 * session cookie and are limited to about 64 KiB), or the IPC message that Electron posts before the
 * page unloads. A mask too large for a beacon is reported as not sent, so the view can ask the user to stay.
 */
import type { Input } from '../../../core/contract'
import { maskToBase64Png } from '../../canvas'

/** The most bytes a beacon may carry (Chromium allows 64 KiB in flight; keep some room). */
export const BEACON_LIMIT = 60_000

/** A mask as read from the editor. */
export interface MaskSnapshot {
  data: Uint8Array
  width: number
  height: number
  version: number
}

/** The masks:save input for a snapshot of image `imageId` (its PNG encoded here unless given). */
export function saveInput(imageId: number, snap: MaskSnapshot, pngBase64?: string): Input<'masks:save'> {
  return { imageId, pngBase64: pngBase64 ?? maskToBase64Png(snap.data, snap.width, snap.height), source: 'human' }
}

/** The web host's base URL (origin and path prefix) taken from one of its image URLs. */
export function apiBaseOf(imageUrl: string, pageUrl: string): string {
  const url = new URL(imageUrl, pageUrl)
  const at = url.pathname.indexOf('/api/images/')
  return url.origin + (at > 0 ? url.pathname.slice(0, at) : '')
}

/**
 * Queues masks:save as a beacon. The body is JSON sent as text/plain (a type beacons may carry without
 * a preflight; the host parses the body whatever its type). Returns false when it is too large or the
 * browser refused it.
 */
export function beaconSave(apiBase: string, input: Input<'masks:save'>, send: (url: string, body: Blob) => boolean): boolean {
  const body = JSON.stringify(input)
  if (body.length > BEACON_LIMIT) return false
  return send(`${apiBase}/api/call/${encodeURIComponent('masks:save')}`, new Blob([body], { type: 'text/plain' }))
}
