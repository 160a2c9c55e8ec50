/**
 * Starts one browser-mode host for the whole run and hands its URL (with the access token) to the specs
 * through LABELLOOP_E2E_URL. The returned function stops it and removes its app data folder.
 */
import { startHost } from './support/host-process'

export default async function globalSetup(): Promise<() => Promise<void>> {
  const host = await startHost()
  process.env.LABELLOOP_E2E_URL = host.url
  process.env.LABELLOOP_E2E_HOME = host.home
  return () => host.stop()
}
