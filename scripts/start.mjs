// `npm start`: build if needed, then the desktop app when the Electron binary is installed, otherwise
// browser mode (`labelloop serve`) with the sample project open.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { superviseChild } from '../bin/lifetime.js'

const root = join(import.meta.dirname, '..')
const newest = (dir) => {
  if (!existsSync(dir)) return 0
  let t = 0
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) t = Math.max(t, statSync(join(e.parentPath ?? e.path, e.name)).mtimeMs)
  }
  return t
}
const sources = Math.max(...['core', 'main', 'preload', 'renderer'].map((d) => newest(join(root, d))))
if (!existsSync(join(root, 'out', 'renderer', 'index.html')) || newest(join(root, 'out')) < sources) {
  console.log('Building LabelLoop…')
  const res = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' })
  if (res.status !== 0) process.exit(res.status ?? 1)
}

// Electron downloads its binary on first use; fetch it now so a failed download (no network, or
// ELECTRON_SKIP_BINARY_DOWNLOAD) means browser mode rather than an error.
const electronDir = join(root, 'node_modules', 'electron')
function electronReady() {
  if (existsSync(join(electronDir, 'path.txt')) && existsSync(join(electronDir, 'dist'))) return true
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD || !existsSync(join(electronDir, 'install.js'))) return false
  console.log('Fetching the Electron binary…')
  const res = spawnSync(process.execPath, [join(electronDir, 'install.js')], { cwd: root, encoding: 'utf8', timeout: 600_000 })
  if (res.status === 0 && existsSync(join(electronDir, 'path.txt'))) return true
  const reason = `${res.stderr ?? ''}`.split('\n').find((line) => /error/i.test(line)) ?? 'download failed'
  console.log(`Could not fetch the Electron binary (${reason.trim()}).`)
  return false
}
const desktop = electronReady()
const args = desktop
  ? [process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'preview']]
  : [process.execPath, [join(root, 'bin', 'labelloop.js'), 'serve', '--sample', ...process.argv.slice(2)]]
if (!desktop) {
  console.log('The Electron binary is not available: starting browser mode instead (open the URL below).')
}
// Node runs the child directly (not through npx, whose shell would not pass a signal on); it gets SIGINT,
// SIGTERM and SIGHUP and is stopped when npm (this script's parent) goes away.
superviseChild(spawn(args[0], args[1], { cwd: root, stdio: 'inherit' }))
