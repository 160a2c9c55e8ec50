/** Small response and request-body helpers shared by the web host's routes. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ErrorCode, ErrorDto } from '../../core/contract'

/**
 * HTTP status for an error code of the contract; the body always carries the code itself. Bad input the
 * user sent (an undecodable mask, a file that is no project) is a 4xx, so a 500 always means the server
 * failed: its disk, its project file, or a bug.
 */
export function statusFor(code: ErrorCode): number {
  switch (code) {
    case 'INVALID_INPUT':
      return 400
    case 'NOT_FOUND':
      return 404
    case 'FORBIDDEN':
      return 403
    case 'ALREADY_EXISTS':
    case 'BUSY':
    case 'NO_PROJECT':
    case 'CANCELLED':
      return 409
    case 'DECODE_FAILED':
    case 'MASK_SIZE':
    case 'MASK_CLASS':
    case 'NOT_A_PROJECT':
    case 'NEWER_VERSION':
      return 422
    case 'DISK_FULL':
      return 507
    default:
      return 500
  }
}

/** Sends a JSON body; API answers are never cached. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    ...headers,
  })
  res.end(text)
}

/** Sends `{ ok: false, error }` with the status of the error's code, or `status` when given. */
export function sendError(res: ServerResponse, error: ErrorDto, status = statusFor(error.code)): void {
  sendJson(res, status, { ok: false, error })
}

/** Thrown by {@link readBody} when the body exceeds its limit. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body is larger than ${formatBytes(limit)}`)
    this.name = 'BodyTooLargeError'
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`
  return `${n} bytes`
}

/** True when the declared Content-Length already exceeds `limit`. */
export function declaredTooLarge(req: IncomingMessage, limit: number): boolean {
  const declared = Number(req.headers['content-length'])
  return Number.isFinite(declared) && declared > limit
}

/** Reads the whole request body into memory, refusing more than `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  if (declaredTooLarge(req, limit)) return Promise.reject(new BodyTooLargeError(limit))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let failed = false
    const onData = (chunk: Buffer): void => {
      if (failed) return
      size += chunk.length
      if (size > limit) {
        failed = true
        chunks.length = 0
        reject(new BodyTooLargeError(limit))
        return
      }
      chunks.push(chunk)
    }
    req.on('data', onData)
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks, size))
    })
    const fail = (err: Error): void => {
      if (failed) return
      failed = true
      reject(err)
    }
    req.on('error', fail)
    // A client that goes away mid-body never sends 'end'.
    req.on('close', () => {
      if (!req.complete) fail(new Error('The client closed the connection before sending the whole body'))
    })
  })
}

/**
 * Answers 413 and closes the connection once the rest of the (discarded) body has arrived, so the
 * client reads the answer instead of a connection reset.
 */
export function sendTooLarge(req: IncomingMessage, res: ServerResponse, limit: number): void {
  req.resume()
  sendJson(res, 413, { ok: false, error: { code: 'INVALID_INPUT', message: new BodyTooLargeError(limit).message } }, { Connection: 'close' })
}

/** Minimal escaping for text placed into the small HTML pages the host writes itself. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
