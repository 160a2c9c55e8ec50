/**
 * Electron transport of the contract: one `ll:invoke` channel carrying `{method, input}`, events pushed on
 * `ll:event`, and native dialogs. Handlers only answer frames of our own renderer.
 */
import { app, BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron'
import { AppError, isMethod, toErrorDto, type ErrorDto } from '../../core/contract'
import type { ServiceHost } from '../services/host-types'
import { isAppPage } from './security'

export type IpcReply = { ok: true; result: unknown } | { ok: false; error: ErrorDto }

/** True when the call comes from the app's own page (dev server or the packaged renderer's index.html). */
function isTrustedSender(event: IpcMainInvokeEvent, devUrl: string | undefined, outDir: string): boolean {
  // A closing window may have no frame left; its last saves still come from our page.
  const url = event.senderFrame?.url || event.sender.getURL()
  return isAppPage(url, outDir, devUrl)
}

const imageFilters = [{ name: 'Images', extensions: ['png', 'jpg', 'jpeg', 'tif', 'tiff', 'webp'] }]
const projectFilters = [{ name: 'LabelLoop project', extensions: ['labelloop'] }]

export interface IpcBinding {
  /** Resolves when every call in flight has answered (a closing window's last mask save among them). */
  drain(): Promise<void>
  unbind(): void
}

/** Binds the services to IPC; `outDir` is the built app (its renderer/index.html is the trusted page). */
export function bindIpc(host: ServiceHost, devUrl: string | undefined, outDir: string): IpcBinding {
  const inFlight = new Set<Promise<unknown>>()
  ipcMain.handle('ll:invoke', async (event, method: unknown, input: unknown): Promise<IpcReply> => {
    try {
      if (!isTrustedSender(event, devUrl, outDir)) throw new AppError('FORBIDDEN', 'Call from an unknown page refused')
      if (typeof method !== 'string' || !isMethod(method)) throw new AppError('INVALID_INPUT', `Unknown method: ${String(method)}`)
      const call = host.dispatch(method, input)
      inFlight.add(call)
      try {
        return { ok: true, result: await call }
      } finally {
        inFlight.delete(call)
      }
    } catch (err) {
      return { ok: false, error: toErrorDto(err) }
    }
  })

  ipcMain.handle('ll:dialog', async (event, kind: unknown, arg: unknown): Promise<string[] | string | null> => {
    if (!isTrustedSender(event, devUrl, outDir)) return null
    const win = BrowserWindow.fromWebContents(event.sender) ?? undefined
    const opts = { properties: [] as Array<'openFile' | 'openDirectory' | 'multiSelections'> }
    if (kind === 'openImages' || kind === 'openProject') {
      opts.properties = kind === 'openImages' ? ['openFile', 'multiSelections'] : ['openFile']
      const filters = kind === 'openImages' ? imageFilters : projectFilters
      const res = win ? await dialog.showOpenDialog(win, { ...opts, filters }) : await dialog.showOpenDialog({ ...opts, filters })
      return res.canceled ? [] : res.filePaths
    }
    if (kind === 'openDirectory') {
      const props: Array<'openDirectory'> = ['openDirectory']
      const res = win ? await dialog.showOpenDialog(win, { properties: props }) : await dialog.showOpenDialog({ properties: props })
      return res.canceled ? null : res.filePaths[0] ?? null
    }
    if (kind === 'saveProject') {
      const defaultPath = typeof arg === 'string' ? arg : 'project.labelloop'
      const res = win
        ? await dialog.showSaveDialog(win, { defaultPath, filters: projectFilters })
        : await dialog.showSaveDialog({ defaultPath, filters: projectFilters })
      return res.canceled ? null : res.filePath ?? null
    }
    return null
  })

  const subscribers = new Set<WebContents>()
  const unsubscribe = host.onEvent((name, payload) => {
    for (const wc of subscribers) if (!wc.isDestroyed()) wc.send('ll:event', name, payload)
  })
  const onCreated = (_e: unknown, wc: WebContents): void => {
    subscribers.add(wc)
    wc.once('destroyed', () => subscribers.delete(wc))
  }
  app.on('web-contents-created', onCreated)

  return {
    async drain() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight])
    },
    unbind() {
      ipcMain.removeHandler('ll:invoke')
      ipcMain.removeHandler('ll:dialog')
      app.off('web-contents-created', onCreated)
      unsubscribe()
    },
  }
}
