/** The main window: isolated, sandboxed, no Node in the page, only the typed preload. */
import { BrowserWindow, shell } from 'electron'
import { join } from 'node:path'

export function createMainWindow(outDir: string, devUrl: string | undefined): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'LabelLoop',
    backgroundColor: '#15171c',
    webPreferences: {
      preload: join(outDir, 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  })
  win.once('ready-to-show', () => win.show())
  // Links open in the user's browser, never inside the app window.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https:')) void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.webContents.on('will-navigate', (event, url) => {
    if (!(devUrl && url.startsWith(devUrl)) && !url.startsWith('file://')) event.preventDefault()
  })
  if (devUrl) void win.loadURL(devUrl)
  else void win.loadFile(join(outDir, 'renderer', 'index.html'))
  return win
}
