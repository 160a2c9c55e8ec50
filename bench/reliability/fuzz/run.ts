/**
 * The fuzz benchmark: every target of targets.ts with `--runs` cases each (fast-check, seed `--seed`).
 * Prints cases, results vs named errors, the slowest case and any failure with its shrunk counterexample.
 *
 * node_modules/.bin/node --import tsx bench/reliability/fuzz/run.ts [--runs 2500] [--seed 18]
 */
import { parseArgs } from 'node:util'
import { TARGETS } from './targets'

const { values } = parseArgs({ options: { runs: { type: 'string', default: '2500' }, seed: { type: 'string', default: '18' }, only: { type: 'string' } } })
const rows: string[] = []
let total = 0
let failures = 0
for (const target of TARGETS.filter((t) => !values.only || t.name.startsWith(values.only))) {
  const t0 = performance.now()
  const heap0 = process.memoryUsage().rss
  try {
    const s = await target.run({ seed: Number(values.seed), numRuns: Number(values.runs) })
    total += s.cases
    const rssMb = Math.round((process.memoryUsage().rss - heap0) / 2 ** 20)
    rows.push(`| ${target.name} | ${s.cases} | ${s.accepted} | ${s.cases - s.accepted} | 0 | ${Math.round(s.maxMs)} | ${rssMb} | ${((performance.now() - t0) / 1000).toFixed(0)} |`)
  } catch (err) {
    failures++
    rows.push(`| ${target.name} | failed | | | 1 | | | |`)
    process.stderr.write(`${target.name}:\n${(err as Error).message}\n`)
  }
  process.stdout.write(`${rows[rows.length - 1]}\n`)
}
process.stdout.write(`\n| target | cases | decoded/opened | named errors | failures | slowest case (ms) | RSS growth (MiB) | seconds |\n|---|---|---|---|---|---|---|---|\n${rows.join('\n')}\n\n${total} cases, ${failures} failing targets\n`)
process.exitCode = failures > 0 ? 1 : 0
