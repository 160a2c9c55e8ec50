/** Browser-mode web host: HTTP + WebSocket transport of the contract (see web-host.ts). */
export { startWebHost } from './web-host'
export type { WebHost, WebHostOptions } from './web-host'
