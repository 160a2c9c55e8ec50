/**
 * Paint-latency benchmark: drives brush strokes with the mouse over a 4096×4096 image in the real
 * MaskEditor in Chromium, and reports p50 / p95 / max of the time from pointer event to painted frame,
 * plus the main-thread cost of the editor's pointer handler and animation frame. Run from the repo root:
 *
 *   node --import tsx bench/paint-latency/run.ts [--size 4096] [--brush 40] [--strokes 12] [--chromium /usr/bin/chromium]
 */
import { cpus, loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { build } from 'esbuild'
import { chromium, type Page } from 'playwright-core'
import type { BenchPage } from './page'

const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: '4096' },
    brush: { type: 'string', default: '40' },
    strokes: { type: 'string', default: '12' },
    chromium: { type: 'string', default: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
  },
})
const size = Number(args.size)
const brush = Number(args.brush)
const strokes = Number(args.strokes)
const here = dirname(fileURLToPath(import.meta.url))

type Bench = { bench: BenchPage }

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b)
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
}

function row(label: string, v: number[]): string {
  const f = (n: number): string => n.toFixed(1)
  return `| ${label} | ${v.length} | ${f(percentile(v, 50))} | ${f(percentile(v, 95))} | ${f(Math.max(...v))} |`
}

/** Deterministic stroke polylines across the stage (1200×800), 6 points each. */
function strokePaths(n: number): [number, number][][] {
  let seed = 12345
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
  return Array.from({ length: n }, () => Array.from({ length: 6 }, () => [40 + rand() * 1120, 40 + rand() * 720] as [number, number]))
}

async function drive(page: Page, viewport: 'fit' | '1:1'): Promise<void> {
  await page.evaluate(() => (window as unknown as Bench).bench.reset())
  for (const path of strokePaths(strokes)) {
    await page.mouse.move(path[0][0], path[0][1])
    await page.mouse.down()
    for (const [x, y] of path.slice(1)) await page.mouse.move(x, y, { steps: 25 })
    await page.mouse.up()
  }
  await page.waitForTimeout(100)
  const s = await page.evaluate(() => (window as unknown as Bench).bench.samples())
  const state = await page.evaluate(() => (window as unknown as Bench).bench.state())
  console.log(`\nviewport ${viewport}, ${size}×${size} image, brush ${brush} px, ${strokes} strokes; painted ${state.counts[1]} px of class 1`)
  console.log('| measure (ms) | samples | p50 | p95 | max |')
  console.log('|---|---|---|---|---|')
  console.log(row('pointer event → painted frame', s.latency))
  console.log(row('editor pointer handler', s.handler))
  console.log(row('frame callbacks (mask + preview draw)', s.frame))
  if (state.counts[1] === 0) throw new Error('paint-latency: strokes painted nothing; the editor did not receive the pointer events')
}

async function main(): Promise<void> {
  const bundle = await build({ entryPoints: [join(here, 'page.ts')], bundle: true, format: 'iife', write: false, target: 'es2022', logLevel: 'warning' })
  const script = bundle.outputFiles[0].text
  const browser = await chromium.launch({ executablePath: args.chromium, headless: true, args: ['--no-sandbox'] })
  console.log(`paint-latency: ${browser.version()}, ${cpus().length} cores (${cpus()[0]?.model}), load ${loadavg()[0].toFixed(2)}`)
  try {
    for (const viewport of ['fit', '1:1'] as const) {
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } })
      await page.setContent('<!doctype html><html><body></body></html>')
      await page.addScriptTag({ content: script })
      await page.evaluate(([sz, b, v]) => (window as unknown as Bench).bench.start(sz, b, v), [size, brush, viewport] as const)
      await drive(page, viewport)
      const undo = await page.evaluate(() => {
        const b = (window as unknown as Bench).bench
        const before = b.state().counts[1]
        b.undo()
        return { before, after: b.state().counts[1] }
      })
      if (undo.after >= undo.before) throw new Error('paint-latency: undo of the last stroke removed no pixels')
      console.log(`check: undo of the last stroke: ${undo.before} → ${undo.after} px of class 1`)
      await page.close()
    }
  } finally {
    await browser.close()
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err)
  process.exit(1)
})
