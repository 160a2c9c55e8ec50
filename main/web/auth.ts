/**
 * Access control of the browser-mode web host: the random token, where a request may carry it, and the
 * Host / Origin checks that keep other web sites (DNS rebinding, cross-site requests) out.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** Name of the cookie that carries the token after the first visit with `?token=`. */
export const TOKEN_COOKIE = 'll_token'
/** Header a script may use instead of the cookie. */
export const TOKEN_HEADER = 'x-labelloop-token'

/** A fresh 32-byte random token, hex encoded (64 characters). */
export function newToken(): string {
  return randomBytes(32).toString('hex')
}

/**
 * Compares a presented token with the expected one in constant time. Both are hashed first so that
 * neither the content nor the length of the expected token leaks through timing.
 */
export function tokensEqual(given: string | undefined | null, expected: string): boolean {
  if (typeof given !== 'string') return false
  const a = createHash('sha256').update(given, 'utf8').digest()
  const b = createHash('sha256').update(expected, 'utf8').digest()
  return timingSafeEqual(a, b)
}

/** Parses a `Cookie` header into name → value (first occurrence wins). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>()
  if (!header) return out
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq <= 0) continue
    const name = part.slice(0, eq).trim()
    const value = part.slice(eq + 1).trim()
    if (!out.has(name)) out.set(name, value)
  }
  return out
}

/** The `Set-Cookie` value that stores the token for this origin. */
export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`
}

/**
 * Whether the request proves it holds the token: the cookie or the header, and for the event socket
 * (where a browser cannot set headers) also `?token=` in the URL.
 */
export function isAuthorised(req: IncomingMessage, token: string, allowQuery: boolean, url: URL): boolean {
  if (tokensEqual(parseCookies(req.headers.cookie).get(TOKEN_COOKIE), token)) return true
  const header = req.headers[TOKEN_HEADER]
  if (typeof header === 'string' && tokensEqual(header, token)) return true
  return allowQuery && tokensEqual(url.searchParams.get('token'), token)
}

/** The Host header values this server answers to; anything else may be a DNS-rebinding attack. */
export function hostAllowed(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false
  const host = hostHeader.toLowerCase()
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`
}

/** A request without Origin (same-origin GET, curl) passes; one with a foreign Origin does not. */
export function originAllowed(originHeader: string | undefined, port: number): boolean {
  if (originHeader === undefined) return true
  const origin = originHeader.toLowerCase()
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`
}
