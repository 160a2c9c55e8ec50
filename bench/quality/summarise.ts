/**
 * Prints the quality benchmark's results (the JSON files run.ts wrote) as the Markdown table of
 * bench/README.md: per-class IoU, mIoU and macro-F1 per method, plus per-class F1.
 *
 *   npx tsx bench/quality/summarise.ts [bench/.out/quality]
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

interface Row {
  method: string
  epochs: number
  bestEpoch: number
  trainSeconds: number
  perClass: { name: string; iou: number; f1: number }[]
  mIoU: number
  macroF1: number
}

const dir = process.argv[2] ?? 'bench/.out/quality'
const rows = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Row)
rows.sort((a, b) => b.macroF1 - a.macroF1)
const names = rows[0]?.perClass.map((c) => c.name) ?? []
const fmt = (v: number): string => v.toFixed(3)
console.log(`| method | epochs (best) | train s | ${names.map((n) => `${n} IoU`).join(' | ')} | mIoU | macro-F1 |`)
console.log(`|${'---|'.repeat(names.length + 5)}`)
for (const r of rows) console.log(`| ${r.method} | ${r.epochs} (${r.bestEpoch}) | ${r.trainSeconds} | ${r.perClass.map((c) => fmt(c.iou)).join(' | ')} | ${fmt(r.mIoU)} | ${fmt(r.macroF1)} |`)
console.log('')
console.log(`| method | ${names.map((n) => `${n} F1`).join(' | ')} |`)
console.log(`|${'---|'.repeat(names.length + 1)}`)
for (const r of rows) console.log(`| ${r.method} | ${r.perClass.map((c) => fmt(c.f1)).join(' | ')} |`)
