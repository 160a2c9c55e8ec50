/** Electron entry: wires the services to IPC, the image protocol, the window and the menu. */
import { app, BrowserWindow, session } from 'electron'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createServiceHost } from '../services'
import { bindIpc } from './ipc'
import { handleImageProtocol, registerImageScheme } from './protocol'
import { createMainWindow } from './window'
import { installPermissionGuard } from './security'
import { installMenu } from './menu'
import { utilityTrainerFactory } from './trainer'
import { collectStartupProject, openProjectFile, singleInstance } from './open-file'

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..')
const devUrl = process.env['ELECTRON_RENDERER_URL']

registerImageScheme()
const startup = collectStartupProject()
let openLater: (path: string) => void = () => undefined
const primary = singleInstance((path) => openLater(path))
if (!primary) app.quit()

void app.whenReady().then(() => {
  if (!primary) return
  const host = createServiceHost({
    mode: 'electron',
    appDataDir: app.getPath('userData'),
    version: app.getVersion(),
    nativeDialogs: true,
    trainerFactory: utilityTrainerFactory(outDir),
  })
  installPermissionGuard(session.defaultSession)
  const ipc = bindIpc(host, devUrl, outDir)
  handleImageProtocol(host)
  let win: BrowserWindow | null = createMainWindow(outDir, devUrl)
  installMenu(() => win)
  openLater = (path) => openProjectFile(host, path, () => win)
  startup.onLater(openLater)
  const first = startup.take()
  if (first) openLater(first)
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) win = createMainWindow(outDir, devUrl)
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  let closing = false
  app.on('before-quit', (event) => {
    if (closing) return
    closing = true
    event.preventDefault()
    // Windows are gone by now; let their last calls (the editor's final save) finish before closing.
    void ipc
      .drain()
      .then(() => host.close())
      .finally(() => app.quit())
  })
})
