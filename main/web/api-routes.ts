/**
 * The request half of the browser-mode transport: `/api/call/<method>`, `/api/images/<id>/<rendition>`
 * and `/api/upload`. Each answers `{ ok: true, result }` or `{ ok: false, error }` like the IPC handlers.
 */
import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { ImageRendition, toErrorDto } from '../../core/contract'
import type { ServiceHost } from '../services/host-types'
import { BodyTooLargeError, declaredTooLarge, readBody, sendError, sendJson, sendTooLarge } from './http-util'
import { checkBatchId, isUploadPurpose, type UploadStaging } from './upload'

/** What the API routes need from the web host. */
export interface ApiContext {
  host: ServiceHost
  staging: UploadStaging
  maxBodyBytes: number
  maxUploadBytes: number
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  sendJson(res, 405, { ok: false, error: { code: 'INVALID_INPUT', message: `Method not allowed; use ${allow}` } }, { Allow: allow })
}

function sendFailure(req: IncomingMessage, res: ServerResponse, err: unknown, limit: number): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  if (err instanceof BodyTooLargeError) sendTooLarge(req, res, limit)
  else sendError(res, toErrorDto(err))
}

async function handleCall(req: IncomingMessage, res: ServerResponse, ctx: ApiContext, method: string): Promise<void> {
  if (req.method !== 'POST') return methodNotAllowed(res, 'POST')
  let body: Buffer
  try {
    body = await readBody(req, ctx.maxBodyBytes)
  } catch (err) {
    return sendFailure(req, res, err, ctx.maxBodyBytes)
  }
  let input: unknown = {}
  if (body.length > 0) {
    try {
      input = JSON.parse(body.toString('utf8'))
    } catch {
      return sendError(res, { code: 'INVALID_INPUT', message: `Body of ${method} is not valid JSON` })
    }
  }
  try {
    const result = await ctx.host.dispatch(method, input)
    sendJson(res, 200, { ok: true, result: result === undefined ? null : result })
  } catch (err) {
    sendError(res, toErrorDto(err))
  }
}

async function handleImage(req: IncomingMessage, res: ServerResponse, ctx: ApiContext, idText: string, renditionText: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD')
  const rendition = ImageRendition.safeParse(renditionText)
  if (!/^\d{1,15}$/.test(idText) || !rendition.success) {
    return sendError(res, { code: 'NOT_FOUND', message: `No image rendition at ${req.url ?? ''}` })
  }
  try {
    const { bytes, mime } = await ctx.host.imageRendition(Number(idText), rendition.data)
    const etag = `"${createHash('sha1').update(bytes).digest('base64url')}"`
    const headers = { ETag: etag, 'Cache-Control': 'private, max-age=0, must-revalidate' }
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers)
      res.end()
      return
    }
    res.writeHead(200, { ...headers, 'Content-Type': mime, 'Content-Length': String(bytes.length) })
    res.end(req.method === 'HEAD' ? undefined : bytes)
  } catch (err) {
    sendError(res, toErrorDto(err))
  }
}

async function handleUpload(req: IncomingMessage, res: ServerResponse, ctx: ApiContext, url: URL): Promise<void> {
  if (req.method !== 'POST') return methodNotAllowed(res, 'POST')
  if (declaredTooLarge(req, ctx.maxUploadBytes)) return sendTooLarge(req, res, ctx.maxUploadBytes)
  try {
    const purpose = url.searchParams.get('purpose')
    if (!isUploadPurpose(purpose)) {
      req.resume()
      return sendError(res, { code: 'INVALID_INPUT', message: `Upload purpose "${purpose ?? ''}" must be images or masks` })
    }
    const batch = checkBatchId(url.searchParams.get('batch'))
    const saved = await ctx.staging.save(purpose, batch, url.searchParams.get('name'), req, ctx.maxUploadBytes)
    sendJson(res, 200, { ok: true, result: saved })
  } catch (err) {
    if (!req.readableEnded) req.resume()
    sendFailure(req, res, err, ctx.maxUploadBytes)
  }
}

/** Routes one authorised `/api/...` request. */
export async function handleApi(req: IncomingMessage, res: ServerResponse, ctx: ApiContext, url: URL): Promise<void> {
  const parts = url.pathname.split('/').slice(2)
  if (parts[0] === 'call' && parts.length === 2 && parts[1]) {
    let method: string
    try {
      method = decodeURIComponent(parts[1])
    } catch {
      return sendError(res, { code: 'INVALID_INPUT', message: `Bad method name in ${url.pathname}` })
    }
    return handleCall(req, res, ctx, method)
  }
  if (parts[0] === 'images' && parts.length === 3) return handleImage(req, res, ctx, parts[1], parts[2])
  if (parts[0] === 'upload' && parts.length === 1) return handleUpload(req, res, ctx, url)
  req.resume()
  sendError(res, { code: 'NOT_FOUND', message: `No API route ${url.pathname}` })
}
