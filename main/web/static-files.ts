/**
 * Serves the built renderer (out/renderer) in browser mode: MIME types, a strict Content-Security-Policy
 * on HTML, index.html for `/` and for client-side routes, the app icon for the `/favicon.ico` every
 * browser asks for, and no way out of the folder.
 */
import { createReadStream } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { dirname, extname, join, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AppError } from '../../core/contract'
import { escapeHtml } from './http-util'

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
}

/** The app icon (resources/icon.ico), served for `/favicon.ico` when the renderer folder has none. */
export const FAVICON = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'resources', 'icon.ico')

/** MIME type for a file name; unknown extensions are served as opaque bytes. */
export function mimeFor(file: string): string {
  return MIME[extname(file).toLowerCase()] ?? 'application/octet-stream'
}

/** The Content-Security-Policy sent with every HTML page: only this origin and its event socket. */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "img-src 'self' blob: data:",
    "style-src 'self' 'unsafe-inline'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "script-src 'self' 'wasm-unsafe-eval'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/** Fails with a clear message when the renderer has not been built into `rendererDir`. */
export async function assertRendererBuilt(rendererDir: string): Promise<void> {
  const index = join(rendererDir, 'index.html')
  const found = await stat(index).then((s) => s.isFile(), () => false)
  if (!found) {
    throw new AppError('NOT_FOUND', `${index}: the renderer is not built; run \`npm run build\` first`, index)
  }
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) })
  res.end(text)
}

/** The page shown to a browser that arrives without the token (a bare URL, an expired cookie). */
export function sendUnauthorisedPage(res: ServerResponse, reason: string): void {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>LabelLoop: access token needed</title></head>
<body style="font-family:sans-serif;max-width:40em;margin:4em auto"><h1>Access token needed</h1>
<p>${escapeHtml(reason)}</p><p>Open the full URL that <code>labelloop serve</code> printed; it carries the access token.</p></body></html>`
  res.writeHead(401, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(html)),
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    'Cache-Control': 'no-store',
  })
  res.end(html)
}

/**
 * Resolves a URL path to a file inside `root`, or null when the path tries to leave it (`..` in any
 * spelling, NUL bytes, a symlink pointing outside).
 */
export async function resolveStaticPath(root: string, pathname: string): Promise<{ file: string } | { refused: true } | null> {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return { refused: true }
  }
  if (decoded.includes('\0')) return { refused: true }
  const segments = decoded.split(/[\\/]+/).filter((s) => s.length > 0)
  if (segments.some((s) => s === '..' || s === '.' || /^[A-Za-z]:$/.test(s))) return { refused: true }
  const candidate = resolve(root, ...(segments.length === 0 ? ['index.html'] : segments))
  if (candidate !== root && !candidate.startsWith(root + sep)) return { refused: true }
  let real: string
  try {
    real = await realpath(candidate)
  } catch {
    return null
  }
  const realRoot = await realpath(root)
  if (!real.startsWith(realRoot + sep)) return { refused: true }
  const info = await stat(real)
  if (info.isDirectory()) {
    const index = join(real, 'index.html')
    return (await stat(index).then((s) => s.isFile(), () => false)) ? { file: index } : null
  }
  return info.isFile() ? { file: real } : null
}

/** Serves one static request (GET or HEAD) from the renderer folder. */
export async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, pathname: string, port: number): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD')
    sendText(res, 405, 'Method not allowed')
    return
  }
  let found = await resolveStaticPath(root, pathname)
  if (found && 'refused' in found) {
    sendText(res, 403, 'Forbidden path')
    return
  }
  // Client-side routes (no file extension) get the app itself.
  if (found === null && extname(pathname) === '') found = { file: join(root, 'index.html') }
  if (found === null && pathname === '/favicon.ico' && (await stat(FAVICON).then((s) => s.isFile(), () => false))) found = { file: FAVICON }
  if (found === null) {
    sendText(res, 404, 'Not found')
    return
  }
  const file = found.file
  const size = (await stat(file)).size
  const type = mimeFor(file)
  const headers: Record<string, string> = { 'Content-Type': type, 'Content-Length': String(size), 'Cache-Control': 'no-cache' }
  if (type.startsWith('text/html')) headers['Content-Security-Policy'] = contentSecurityPolicy(port)
  res.writeHead(200, headers)
  if (req.method === 'HEAD') {
    res.end()
    return
  }
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res)
}
