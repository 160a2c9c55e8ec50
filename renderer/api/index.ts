/**
 * The renderer's only door to the services: `createClient()` picks the Electron transport when the
 * preload bridge exists and the browser-mode web transport otherwise; `useClient()` hands the one
 * instance to components and stores.
 */
import { hasInjectionContext, inject, type App, type InjectionKey } from 'vue'
import { createElectronClient } from './electron-transport'
import { createWebClient } from './web-transport'
import type { RendererClient } from './types'

export type { RendererClient, PickedFile, ConnectionState, TransferOptions } from './types'
export { toPicked } from './types'

export function createClient(): RendererClient {
  if (window.labelloop) return createElectronClient(window.labelloop)
  return createWebClient({ baseUrl: window.location.origin })
}

const clientKey: InjectionKey<RendererClient> = Symbol('labelloop-client')
let appClient: RendererClient | null = null

/** Makes `client` the app's client (for components via inject, for stores via useClient). */
export function installClient(app: App, client: RendererClient): void {
  appClient = client
  app.provide(clientKey, client)
}

export function useClient(): RendererClient {
  const injected = hasInjectionContext() ? inject(clientKey, null) : null
  const client = injected ?? appClient
  if (!client) throw new Error('LabelLoop client not installed: call installClient() before mounting')
  return client
}
