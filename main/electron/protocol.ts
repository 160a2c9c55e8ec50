/**
 * `labelloop-img://image/<id>/<thumb|display>` serves renditions of the open project's images to the
 * renderer, and nothing else: ids are looked up in the open project only.
 */
import { protocol } from 'electron'
import { ImageRendition, toErrorDto } from '../../core/contract'
import type { ServiceHost } from '../services/host-types'
import { IMAGE_PROTOCOL_CSP } from './security'

export const IMAGE_SCHEME = 'labelloop-img'

/** Must run before the app is ready. */
export function registerImageScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: IMAGE_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: false } },
  ])
}

export function handleImageProtocol(host: ServiceHost): void {
  protocol.handle(IMAGE_SCHEME, async (request) => {
    const url = new URL(request.url)
    const [idText, renditionText] = url.pathname.split('/').filter(Boolean)
    const id = Number(idText)
    const rendition = ImageRendition.safeParse(renditionText)
    if (url.hostname !== 'image' || !Number.isInteger(id) || !rendition.success) {
      return new Response('Not found', { status: 404 })
    }
    try {
      const { bytes, mime } = await host.imageRendition(id, rendition.data)
      return new Response(new Uint8Array(bytes), { headers: { 'content-type': mime, 'cache-control': 'no-cache', 'content-security-policy': IMAGE_PROTOCOL_CSP } })
    } catch (err) {
      const dto = toErrorDto(err)
      return new Response(dto.message, { status: dto.code === 'NOT_FOUND' ? 404 : 500 })
    }
  })
}
