// Prints bench/gpu/run.sh's results (JSON lines) as a Markdown table: one row per backend or PyTorch
// device, img/s at 128² and 256², and the reason for every backend that did not load.
import { readFileSync } from 'node:fs'

const rows = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
const at = (probes, size) => {
  const p = probes.find((q) => q.size === size)
  return p ? p.imagesPerSecond.toFixed(p.imagesPerSecond >= 10 ? 1 : 2) : '—'
}
console.log('| implementation | device | img/s 128² | img/s 256² |')
console.log('|---|---|---|---|')
const missing = []
for (const r of rows) {
  if (r.impl === 'pytorch') continue
  if (r.loads) console.log(`| LabelLoop tfjs ${r.backend} (1 thread) | ${r.device} | ${at(r.probes, 128)} | ${at(r.probes, 256)} |`)
  else missing.push(`- ${r.backend}: ${r.reason}${r.step ? ` (to enable: ${r.step})` : ''}`)
}
const torch = new Map()
for (const r of rows.filter((q) => q.impl === 'pytorch')) torch.set(r.device, [...(torch.get(r.device) ?? []), r])
for (const [device, probes] of torch) console.log(`| PyTorch ${probes[0].torch} | ${device} | ${at(probes, 128)} | ${at(probes, 256)} |`)
if (missing.length > 0) console.log(`\nNot measured:\n${missing.join('\n')}`)
