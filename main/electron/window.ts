/** The main window: isolated, sandboxed, no Node in the page, only the typed preload. */
import { BrowserWindow, shell } from 'electron'
import { join } from 'node:path'
import { isAppPage, secureWebPreferences, windowOpenDecision } from './security'

export function createMainWindow(outDir: string, devUrl: string | undefined): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'LabelLoop',
    backgroundColor: '#15171c',
    webPreferences: secureWebPreferences(join(outDir, 'preload', 'index.cjs')),
  })
  win.once('ready-to-show', () => win.show())
  // Links open in the user's browser, never inside the app window.
  win.webContents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url)
    if (decision.openExternally) void shell.openExternal(url)
    return { action: decision.action }
  })
  // Only the app's own page: not the web, not another local HTML file.
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAppPage(url, outDir, devUrl)) event.preventDefault()
  })
  if (devUrl) void win.loadURL(devUrl)
  else void win.loadFile(join(outDir, 'renderer', 'index.html'))
  return win
}
