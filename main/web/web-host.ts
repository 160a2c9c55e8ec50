/**
 * Browser mode's transport: one HTTP + WebSocket server on 127.0.0.1 that carries the same contract as
 * Electron IPC over the same ServiceHost, guarded by a random access token. See api-routes.ts for the
 * calls, events-socket.ts for events, upload.ts for file uploads and static-files.ts for the renderer.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { AppError, toErrorDto } from '../../core/contract'
import type { ServiceHost } from '../services/host-types'
import { handleApi } from './api-routes'
import { hostAllowed, isAuthorised, newToken, originAllowed, tokenCookie, tokensEqual } from './auth'
import { attachEventSocket } from './events-socket'
import { sendError, sendJson } from './http-util'
import { assertRendererBuilt, sendUnauthorisedPage, serveStatic } from './static-files'
import { UploadStaging } from './upload'

export interface WebHostOptions {
  /** The services; the web host does not close it (whoever created it does). */
  host: ServiceHost
  /** The built renderer (out/renderer). */
  rendererDir: string
  /** TCP port on 127.0.0.1; 0 or absent picks a free one. */
  port?: number
  /** Access token; a fresh random 32-byte hex token when absent. */
  token?: string
  /** Largest JSON body of a call (default 64 MiB). */
  maxBodyBytes?: number
  /** Largest single uploaded file (default 4 GiB). */
  maxUploadBytes?: number
  /**
   * How long a client may take to send its request headers (default 10 s) before the connection is
   * dropped, so slow-loris style clients cannot hold connections open; tests set it short.
   */
  headersTimeoutMs?: number
}

export interface WebHost {
  /** The URL to open, including `?token=`. */
  url: string
  token: string
  port: number
  /** Stops listening, drops every connection and removes uploaded files. */
  close(): Promise<void>
}

const MiB = 1024 * 1024

function isApiPath(pathname: string): boolean {
  return pathname === '/api' || pathname.startsWith('/api/')
}

function listen(server: ReturnType<typeof createServer>, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      const message = err.code === 'EADDRINUSE' ? `Port ${port} on 127.0.0.1 is already in use; pick another with --port` : `Cannot listen on 127.0.0.1:${port}: ${err.message}`
      reject(new AppError(err.code === 'EADDRINUSE' ? 'BUSY' : 'IO', message))
    }
    server.once('error', onError)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError)
      resolvePort((server.address() as AddressInfo).port)
    })
  })
}

/**
 * Starts the browser-mode web host. Fails with NOT_FOUND when the renderer is not built and BUSY when
 * the port is taken.
 */
export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const rendererDir = resolve(opts.rendererDir)
  await assertRendererBuilt(rendererDir)
  const token = opts.token ?? newToken()
  if (token.length < 16) throw new AppError('INVALID_INPUT', 'The access token must be at least 16 characters')
  const staging = await UploadStaging.create()
  const api = {
    host: opts.host,
    staging,
    maxBodyBytes: opts.maxBodyBytes ?? 64 * MiB,
    maxUploadBytes: opts.maxUploadBytes ?? 4096 * MiB,
  }
  let port = 0

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'no-referrer')
    res.setHeader('X-Frame-Options', 'DENY')
    if (!hostAllowed(req.headers.host, port)) {
      req.resume()
      return sendError(res, { code: 'FORBIDDEN', message: `Host "${req.headers.host ?? ''}" is not allowed; use http://127.0.0.1:${port}/` })
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`)
    if (url.pathname === '/' && url.searchParams.has('token') && (req.method === 'GET' || req.method === 'HEAD')) {
      if (!tokensEqual(url.searchParams.get('token'), token)) return sendUnauthorisedPage(res, 'The access token in this URL is wrong.')
      res.writeHead(302, { Location: '/', 'Set-Cookie': tokenCookie(token), 'Cache-Control': 'no-store' })
      res.end()
      return
    }
    const apiPath = isApiPath(url.pathname)
    if (!isAuthorised(req, token, false, url)) {
      req.resume()
      if (apiPath) return sendJson(res, 401, { ok: false, error: { code: 'FORBIDDEN', message: 'Missing or wrong access token' } })
      return sendUnauthorisedPage(res, 'This page needs the access token.')
    }
    if (apiPath) {
      if (!originAllowed(req.headers.origin, port)) {
        req.resume()
        return sendError(res, { code: 'FORBIDDEN', message: `Origin "${req.headers.origin ?? ''}" is not allowed` })
      }
      return handleApi(req, res, api, url)
    }
    return serveStatic(req, res, rendererDir, url.pathname, port)
  }

  const headersTimeout = opts.headersTimeoutMs ?? 10_000
  // Node checks the timeouts every connectionsCheckingInterval; keep it below the timeout itself.
  const timeouts = { headersTimeout, connectionsCheckingInterval: Math.min(1000, headersTimeout) }
  const server = createServer(timeouts, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) res.destroy()
      else sendError(res, toErrorDto(err), 500)
    })
  })
  const events = attachEventSocket(server, opts.host, (req, url) => {
    if (!hostAllowed(req.headers.host, port) || !originAllowed(req.headers.origin, port)) return 403
    return isAuthorised(req, token, true, url) ? 'ok' : 401
  })
  try {
    port = await listen(server, opts.port ?? 0)
  } catch (err) {
    await events.close()
    await staging.dispose()
    throw err
  }

  let closing: Promise<void> | null = null
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await events.close()
      await new Promise<void>((done) => {
        server.close(() => done())
        server.closeAllConnections()
      })
      await staging.dispose()
    })()
    return closing
  }
  return { url: `http://127.0.0.1:${port}/?token=${encodeURIComponent(token)}`, token, port, close }
}
