/** Application menu: the standard roles plus the project shortcuts the renderer also offers. */
import { Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron'

export function installMenu(getWindow: () => BrowserWindow | null): void {
  const send = (command: string) => () => getWindow()?.webContents.send('ll:menu', command)
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'New Project…', accelerator: 'CmdOrCtrl+N', click: send('new-project') },
        { label: 'Open Project…', accelerator: 'CmdOrCtrl+O', click: send('open-project') },
        { label: 'Import Images…', accelerator: 'CmdOrCtrl+I', click: send('import') },
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ]
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}
