/**
 * Helpers of the attack suite (attack.test.ts): a real `labelloop serve` child process on 127.0.0.1, raw
 * sockets for slow and malformed clients, and a WebSocket handshake done by hand so frames can be broken.
 * Every connection goes to 127.0.0.1 only.
 */
import { randomBytes } from 'node:crypto'
import { connect, type Socket } from 'node:net'
import { startCli, waitFor, type Child } from '../../bench/reliability/crash/child'

export interface Served {
  child: Child
  port: number
  token: string
}

/** Starts `labelloop serve <project> --json --no-open` in `cwd` and waits for its URL. */
export async function serve(project: string, cwd: string, home: string, rendererDir: string): Promise<Served> {
  const child = startCli(['serve', project, '--json', '--no-open'], cwd, home, { LABELLOOP_RENDERER_DIR: rendererDir })
  const up = await waitFor(() => child.stdout().includes('\n') || child.done(), 60_000)
  if (!up || child.done()) throw new Error(`labelloop serve did not start: ${child.stderr()}`)
  const { url, port } = JSON.parse(child.stdout().split('\n')[0]) as { url: string; port: number }
  return { child, port, token: new URL(url).searchParams.get('token') ?? '' }
}

/** Opens a raw TCP connection to 127.0.0.1:port. */
export function rawSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => resolve(s))
    s.on('error', reject)
  })
}

/** Resolves once the server has closed `socket` (or after `ms`, with false). */
export function closedWithin(socket: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve(true)
    const timer = setTimeout(() => resolve(false), ms)
    const done = (): void => {
      clearTimeout(timer)
      resolve(true)
    }
    socket.on('close', done)
    socket.on('end', done)
    // Drain what the server sends (a 408, a close frame) so 'end' can fire.
    socket.resume()
  })
}

/** Completes a WebSocket handshake on /api/events by hand; resolves with the upgraded socket. */
export async function upgradedSocket(port: number, token: string): Promise<Socket> {
  const s = await rawSocket(port)
  const key = randomBytes(16).toString('base64')
  s.write(
    `GET /api/events?token=${token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  )
  const head = await new Promise<string>((resolve) => s.once('data', (d: Buffer) => resolve(d.toString('latin1'))))
  if (!head.startsWith('HTTP/1.1 101')) throw new Error(`no upgrade: ${head.split('\r\n')[0]}`)
  return s
}
