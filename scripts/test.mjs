// The whole test suite, in order: lint, type-check (node and web), unit tests, build, e2e.
// Runs under the repo's Node 22 (npm puts node_modules/.bin first on PATH) and ends with one summary line
// "tests: N passed, N failed, N skipped" counting unit and e2e tests together.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const reports = join(root, 'test-reports')
mkdirSync(reports, { recursive: true })
const unitReport = join(reports, 'unit.json')
const e2eReport = join(reports, 'e2e.json')

function run(title, cmd, args, env = {}) {
  console.log(`\n=== ${title}: ${cmd} ${args.join(' ')}`)
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  return res.status === 0
}

const totals = { passed: 0, failed: 0, skipped: 0 }
function countVitest() {
  if (!existsSync(unitReport)) return
  const r = JSON.parse(readFileSync(unitReport, 'utf8'))
  totals.passed += r.numPassedTests ?? 0
  totals.failed += r.numFailedTests ?? 0
  totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0)
}
function countPlaywright() {
  if (!existsSync(e2eReport)) return
  const r = JSON.parse(readFileSync(e2eReport, 'utf8'))
  const s = r.stats ?? {}
  totals.passed += (s.expected ?? 0) + (s.flaky ?? 0)
  totals.failed += s.unexpected ?? 0
  totals.skipped += s.skipped ?? 0
}

let ok = run('lint', 'npx', ['eslint', '.'])
ok = run('installer config', 'node', ['scripts/check-builder-config.mjs']) && ok
ok = run('type-check (node)', 'npx', ['tsc', '-p', 'tsconfig.node.json', '--noEmit']) && ok
ok = run('type-check (web)', 'npx', ['vue-tsc', '-p', 'tsconfig.web.json', '--noEmit']) && ok
ok = run('unit tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${unitReport}`]) && ok
countVitest()
const built = run('build', 'npx', ['electron-vite', 'build'])
ok = built && ok
if (built) {
  ok = run('chromium', 'bash', ['scripts/ensure-chromium.sh']) && ok
  ok = run('e2e', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport }) && ok
  countPlaywright()
}
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
if (!ok) console.log('Some stage failed: see its output above.')
process.exit(ok && totals.failed === 0 ? 0 : 1)
