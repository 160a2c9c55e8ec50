/**
 * The Electron security checklist, tested without the Electron binary: 'electron' is replaced by fakes
 * that record what the shell hands to it, and the shell's own modules (window.ts, ipc.ts, protocol.ts,
 * security.ts) run against them. Weakening any of these settings fails here.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it, vi } from 'vitest'

interface Recorded {
  windowOptions: { webPreferences?: Record<string, unknown> }[]
  openHandler: ((d: { url: string }) => { action: string }) | null
  navigate: ((event: { preventDefault(): void }, url: string) => void) | null
  ipc: Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>
  protocol: ((request: { url: string }) => Promise<Response>) | null
  external: string[]
}

const rec = vi.hoisted((): Recorded => ({ windowOptions: [], openHandler: null, navigate: null, ipc: new Map(), protocol: null, external: [] }))

vi.mock('electron', () => {
  class BrowserWindow {
    static fromWebContents(): null {
      return null
    }
    webContents = {
      setWindowOpenHandler: (h: Recorded['openHandler']) => void (rec.openHandler = h),
      on: (name: string, h: Recorded['navigate']) => void (name === 'will-navigate' && (rec.navigate = h)),
    }
    constructor(options: Recorded['windowOptions'][number]) {
      rec.windowOptions.push(options)
    }
    once(): void {}
    loadFile(): Promise<void> {
      return Promise.resolve()
    }
    loadURL(): Promise<void> {
      return Promise.resolve()
    }
  }
  return {
    BrowserWindow,
    shell: { openExternal: (url: string) => void rec.external.push(url) },
    ipcMain: { handle: (channel: string, h: (event: unknown, ...args: unknown[]) => Promise<unknown>) => void rec.ipc.set(channel, h), removeHandler: () => undefined },
    protocol: { handle: (_scheme: string, h: Recorded['protocol']) => void (rec.protocol = h), registerSchemesAsPrivileged: () => undefined },
    dialog: {},
    app: { getPath: () => '/tmp', on: () => undefined },
  }
})

const OUT = '/opt/LabelLoop/resources/app.asar/out'
const APP_PAGE = `file://${OUT}/renderer/index.html`

describe('Electron checklist', () => {
  it('opens the window isolated, sandboxed, without Node, webviews or insecure content', async () => {
    const { createMainWindow } = await import('./electron/window')
    createMainWindow(OUT, undefined)
    expect(rec.windowOptions[0].webPreferences).toEqual({
      preload: `${OUT}/preload/index.cjs`,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    })
  })

  it('denies every window.open, sending only https links to the browser', () => {
    for (const url of ['https://example.org/', 'http://example.org/', 'file:///etc/passwd', 'javascript:alert(1)', APP_PAGE]) {
      expect(rec.openHandler?.({ url }), url).toEqual({ action: 'deny' })
    }
    expect(rec.external).toEqual(['https://example.org/'])
  })

  it('lets the window navigate only within its own page', () => {
    const prevented = (url: string): boolean => {
      let stopped = false
      rec.navigate?.({ preventDefault: () => void (stopped = true) }, url)
      return stopped
    }
    for (const url of ['https://evil.example/', 'http://127.0.0.1:8080/', 'file:///etc/passwd', `file://${OUT}/renderer/other.html`, `file:///home/me/Downloads/page.html`, 'data:text/html,hi']) {
      expect(prevented(url), url).toBe(true)
    }
    expect(prevented(`${APP_PAGE}#/gallery`)).toBe(false)
  })

  it('answers IPC only from the app page: a foreign page, another local file or a dev page in production is refused', async () => {
    const { bindIpc } = await import('./electron/ipc')
    const dispatched: string[] = []
    const host = { dispatch: async (m: string) => void dispatched.push(m), onEvent: () => () => undefined, imageRendition: async () => ({ bytes: Buffer.alloc(0), mime: 'image/png' }), close: async () => undefined }
    bindIpc(host, undefined, OUT)
    const invoke = rec.ipc.get('ll:invoke')
    const from = (url: string): unknown => ({ senderFrame: { url }, sender: { getURL: () => url } })
    for (const url of ['https://evil.example/', 'file:///tmp/evil.html', `file://${OUT}/renderer/../../evil.html`, 'http://localhost:5173/']) {
      expect(await invoke?.(from(url), 'app:info', {}), url).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    }
    expect(dispatched).toEqual([])
    expect(await invoke?.(from(`${APP_PAGE}#/editor/3`), 'app:info', {})).toMatchObject({ ok: true })
    expect(dispatched).toEqual(['app:info'])
  })

  it('serves image renditions with a CSP that allows no script or document', async () => {
    const { handleImageProtocol } = await import('./electron/protocol')
    handleImageProtocol({ dispatch: async () => null, onEvent: () => () => undefined, imageRendition: async () => ({ bytes: Buffer.from([1]), mime: 'image/png' }), close: async () => undefined })
    const res = await rec.protocol?.({ url: 'labelloop-img://image/1/thumb' })
    expect(res?.headers.get('content-security-policy')).toMatch(/default-src 'none'.*script-src 'none'.*sandbox/)
    expect((await rec.protocol?.({ url: 'labelloop-img://image/..%2f..%2fetc/thumb' }))?.status).toBe(404)
  })

  it('packages the app with the hardening fuses flipped (the real electron-builder.yml)', async () => {
    // js-yaml, as CI's builder-config check reads it (scripts/check-builder-config.mjs; ESLint depends on it).
    const yaml: string = 'js-yaml'
    const { load } = (await import(yaml)) as { load(text: string): unknown }
    const config = load(readFileSync(new URL('../electron-builder.yml', import.meta.url), 'utf8')) as { electronFuses?: Record<string, unknown>; asar?: unknown }
    expect(config.asar).toBe(true)
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    })
  })

  it('gives the app page a CSP that allows no inline or eval script and no plugins: the meta tag of the file:// page, the response header in browser mode', async () => {
    // The desktop window loads its page from file:// (window.ts), where no response headers exist, so the
    // page's own meta tag is its policy; browser mode sends the header (main/web/static-files.ts).
    const html = readFileSync(new URL('../renderer/index.html', import.meta.url), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    const { contentSecurityPolicy } = await import('./web/static-files')
    for (const [where, csp] of [['renderer/index.html', meta], ['browser-mode header', contentSecurityPolicy(4321)]] as const) {
      expect(csp, where).toBeDefined()
      const script = /script-src ([^;]+)/.exec(csp ?? '')?.[1] ?? ''
      expect(script.split(/\s+/).sort(), where).toEqual(["'self'", "'wasm-unsafe-eval'"])
      expect(csp, where).toMatch(/default-src 'self'/)
      expect(csp, where).toMatch(/object-src 'none'/)
      expect(csp, where).not.toMatch(/'unsafe-eval'|\*/)
    }
    expect(contentSecurityPolicy(4321)).toMatch(/frame-ancestors 'none'/)
  })

  it('refuses every permission request', async () => {
    const { installPermissionGuard } = await import('./electron/security')
    const guard: { handler?: (wc: unknown, permission: string, cb: (granted: boolean) => void) => void } = {}
    installPermissionGuard({ setPermissionRequestHandler: (h) => void (guard.handler = h) })
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'unknown']) {
      const answers: boolean[] = []
      guard.handler?.(null, permission, (g) => void answers.push(g))
      expect(answers, permission).toEqual([false])
    }
  })
})
