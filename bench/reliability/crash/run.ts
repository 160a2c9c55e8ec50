/**
 * The crash benchmark: for every scenario, builds its template, times one unkilled run, then SIGKILLs the
 * child at `--points` seeded points of that window and checks the project each time. Prints one line per
 * scenario and a Markdown table (the one in bench/README.md).
 *
 * node_modules/.bin/node --import tsx bench/reliability/crash/run.ts [--points 50] [--only <name prefix>]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { killPoint, prepare, type KillResult } from './harness'
import { SCENARIOS } from './scenarios'

const { values } = parseArgs({ options: { points: { type: 'string', default: '50' }, only: { type: 'string' } } })
const points = Number(values.points)
const root = mkdtempSync(join(tmpdir(), 'labelloop-crash-bench-'))
const rows: string[] = []
let failures = 0
try {
  for (const scenario of SCENARIOS.filter((s) => !values.only || s.name.startsWith(values.only))) {
    const t0 = performance.now()
    const prepared = await prepare(scenario, root)
    const results: KillResult[] = []
    for (let i = 0; i < points; i++) {
      const r = await killPoint(prepared, root, 1000 + i)
      results.push(r)
      if (r.problems.length > 0) process.stderr.write(`${scenario.name} seed ${r.seed} at ${r.killAtMs} ms: ${r.problems.join('; ')}\n`)
    }
    const bad = results.filter((r) => r.problems.length > 0).length
    failures += bad
    const notes = new Map<string, number>()
    for (const r of results) for (const [k, v] of Object.entries(r.notes)) notes.set(k, (notes.get(k) ?? 0) + v)
    const during = results.filter((r) => r.killedWhileRunning).length
    const noteText = [...notes].map(([k, v]) => `${k} ${v}`).join(', ')
    const minutes = ((performance.now() - t0) / 60_000).toFixed(1)
    const row = `| ${scenario.name} | ${points} | ${during} | ${bad} | ${Math.round(prepared.runMs)} | ${noteText} | ${minutes} |`
    rows.push(row)
    process.stdout.write(`${row}\n`)
  }
} finally {
  rmSync(root, { recursive: true, force: true })
}
process.stdout.write(`\n| scenario | kill points | killed mid-run | failed checks | unkilled run (ms) | summed notes | minutes |\n|---|---|---|---|---|---|---|\n${rows.join('\n')}\n`)
process.exitCode = failures > 0 ? 1 : 0
