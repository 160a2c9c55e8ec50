/**
 * The event half of the browser-mode transport: a WebSocket at `/api/events` that pushes every service
 * event to every connected, authorised page as `{ event, payload }` JSON.
 */
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer } from 'ws'
import type { ServiceHost } from '../services/host-types'

/** Path of the event socket. */
export const EVENTS_PATH = '/api/events'

/** Decides whether an upgrade request may open the socket; returns the HTTP status to refuse with. */
export type UpgradeGate = (req: IncomingMessage, url: URL) => 'ok' | 401 | 403 | 404

function refuse(socket: Duplex, status: 401 | 403 | 404): void {
  const text = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status]
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

/** Attaches the event socket to `server`; the returned `close` unsubscribes and drops all clients. */
export function attachEventSocket(server: Server, host: ServiceHost, gate: UpgradeGate): { close(): Promise<void> } {
  // Clients only listen; anything they send is ignored, so a tiny payload limit is enough.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 })
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy())
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const verdict = url.pathname === EVENTS_PATH ? gate(req, url) : 404
    if (verdict !== 'ok') {
      refuse(socket, verdict)
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => ws.terminate())
      wss.emit('connection', ws, req)
    })
  }
  server.on('upgrade', onUpgrade)
  const unsubscribe = host.onEvent((event, payload) => {
    const message = JSON.stringify({ event, payload })
    for (const client of wss.clients) {
      if (client.readyState === WebSocket.OPEN) client.send(message)
    }
  })
  return {
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe()
        server.off('upgrade', onUpgrade)
        for (const client of wss.clients) client.terminate()
        wss.close(() => resolve())
      }),
  }
}
