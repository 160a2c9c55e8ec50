// `npm start`: build if needed, then the desktop app when the Electron binary is installed, otherwise
// browser mode (`labelloop serve`) with the sample project open.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

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

const electronBinary = join(root, 'node_modules', 'electron', 'path.txt')
const args = existsSync(electronBinary)
  ? ['npx', ['electron-vite', 'preview']]
  : ['node', [join(root, 'bin', 'labelloop.js'), 'serve', '--sample', ...process.argv.slice(2)]]
if (!existsSync(electronBinary)) {
  console.log('Electron binary not installed: starting browser mode instead (open the URL below).')
}
const child = spawn(args[0], args[1], { cwd: root, stdio: 'inherit' })
child.on('exit', (code) => process.exit(code ?? 0))
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
