/**
 * Opening a project file from outside the app (the installers register `.labelloop`): Windows and Linux
 * pass the file on the command line, to the first instance or (through the single-instance lock) to
 * the running one; macOS sends `open-file`. Each opens the project through the services, which tells
 * the window with `project:changed`.
 */
import { app, type BrowserWindow } from 'electron'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { ServiceHost } from '../services'

/** The first existing `.labelloop` file among command-line arguments, resolved against `cwd`. */
export function projectFromArgv(argv: readonly string[], cwd: string = process.cwd()): string | null {
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-') || !arg.toLowerCase().endsWith('.labelloop')) continue
    const path = resolve(cwd, arg)
    if (existsSync(path)) return path
  }
  return null
}

/**
 * Registers `open-file` (macOS; call before `ready`, when it may already fire) and returns the path
 * it or the command line asked for at startup.
 */
export function collectStartupProject(): { take(): string | null; onLater(open: (path: string) => void): void } {
  let pending = projectFromArgv(process.argv)
  let later: ((path: string) => void) | null = null
  app.on('open-file', (event, path) => {
    event.preventDefault()
    if (later) later(path)
    else pending = path
  })
  return {
    take: () => {
      const p = pending
      pending = null
      return p
    },
    onLater: (open) => {
      later = open
    },
  }
}

/** Opens `path` as the current project, showing the window; failures are left to the UI's next call. */
export function openProjectFile(host: ServiceHost, path: string, win: () => BrowserWindow | null): void {
  void host.dispatch('project:open', { path }).catch(() => undefined)
  const w = win()
  if (w) {
    if (w.isMinimized()) w.restore()
    w.focus()
  }
}

/** Makes this the only instance; a second launch hands its project file to this one and quits. */
export function singleInstance(onProject: (path: string) => void): boolean {
  if (!app.requestSingleInstanceLock()) return false
  app.on('second-instance', (_event, argv, cwd) => {
    const path = projectFromArgv(argv, cwd)
    if (path) onProject(path)
  })
  return true
}
