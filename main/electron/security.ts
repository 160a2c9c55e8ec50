/**
 * The desktop shell's security settings as plain data and pure functions, so the Electron checklist is
 * tested without the Electron binary (main/electron-checklist.test.ts) against the very objects the shell
 * uses: the window's web preferences, which URLs count as the app's own page (navigation and IPC sender
 * checks), window-open denial, permission denial and the CSP sent with the image protocol.
 * This file must not import 'electron'.
 */
import { pathToFileURL } from 'node:url'
import { join } from 'node:path'

/** Web preferences of every app window: isolated, sandboxed, no Node in the page, only the preload. */
export function secureWebPreferences(preload: string): {
  preload: string
  contextIsolation: true
  sandbox: true
  nodeIntegration: false
  nodeIntegrationInWorker: false
  webSecurity: true
  allowRunningInsecureContent: false
  experimentalFeatures: false
  webviewTag: false
} {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
  }
}

/**
 * Whether `url` is the app's own page: the built renderer's index.html (any hash route) or, in
 * development, a page of the dev server's origin. Any other file:// page (a downloaded HTML file, a
 * file the user dropped) is not, so it can neither be navigated to nor call the services.
 */
export function isAppPage(url: string, outDir: string, devUrl: string | undefined): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (devUrl) {
    try {
      if (parsed.origin === new URL(devUrl).origin) return true
    } catch {
      return false
    }
  }
  const index = pathToFileURL(join(outDir, 'renderer', 'index.html')).pathname
  // Windows file URLs may spell the drive letter in either case.
  const same = process.platform === 'win32' ? parsed.pathname.toLowerCase() === index.toLowerCase() : parsed.pathname === index
  return parsed.protocol === 'file:' && same
}

/** The window-open handler: https links go to the user's browser, nothing ever opens inside the app. */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally: boolean } {
  let external = false
  try {
    external = new URL(url).protocol === 'https:'
  } catch {
    external = false
  }
  return { action: 'deny', openExternally: external }
}

/** Every permission a page may ask for (camera, geolocation, notifications, …) is refused. */
export function permissionDecision(_permission: string): false {
  return false
}

/** The part of Electron's Session the permission guard needs. */
export interface PermissionSession {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void
}

/** Installs the permission guard on a session: every request is answered with {@link permissionDecision}. */
export function installPermissionGuard(session: PermissionSession): void {
  session.setPermissionRequestHandler((_webContents, permission, callback) => callback(permissionDecision(permission)))
}

/** CSP sent with every image-protocol response: the bytes are an image, never a document or script. */
export const IMAGE_PROTOCOL_CSP = "default-src 'none'; img-src 'self'; style-src 'none'; script-src 'none'; sandbox"
