// Runs the Playwright e2e suite (browser mode in Debian's Chromium, plus the Electron spec when its
// binary exists). Builds the app first when out/renderer is missing; extra arguments go to Playwright.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const env = { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}` }

function run(cmd, args) {
  const res = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' })
  if (res.error) throw res.error
  return res.status ?? 1
}

if (!existsSync('/usr/bin/chromium')) {
  console.error('run-e2e: /usr/bin/chromium is missing; run `bash scripts/ensure-chromium.sh` (as root) first')
  process.exit(1)
}
if (!existsSync(join(root, 'out', 'renderer', 'index.html'))) {
  console.error('run-e2e: out/renderer is missing, building the app first')
  const built = run('npm', ['run', 'build'])
  if (built !== 0) process.exit(built)
}
const cli = join(root, 'node_modules', '@playwright', 'test', 'cli.js')
process.exit(run(process.execPath, [cli, 'test', ...process.argv.slice(2)]))
