/**
 * Benchmark: full class-balance recompute over 1,000 indexed masks of 1024×1024 held in memory.
 * Counts labeled pixels per class in every mask (core/balance countClassPixels), aggregates them
 * (BalanceAccumulator) and computes statistics and weights (computeBalance). Decoding PNGs is not
 * part of it. Two mask kinds: "regions" (uniform blobs and unlabeled areas, like real label masks)
 * and "noise" (a random class per pixel, the worst case for run-skipping).
 *
 * Run: npx tsx bench/balance/run.ts [--masks 1000] [--size 1024] [--repeats 3]
 */
import os from 'node:os'
import { accumulate, computeBalance, countClassPixels, histogram256, type ImageClassCounts } from '../../core/balance'

const CLASSES = 5

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}

/** Small deterministic PRNG so every run measures the same masks. */
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 4294967296
  }
}

/** Background, a few rectangles and discs of other classes, and an unlabeled band (255). */
function regionMask(size: number, seed: number): Uint8Array {
  const r = rng(seed)
  const m = new Uint8Array(size * size)
  const objects = 3 + Math.floor(r() * 6)
  for (let o = 0; o < objects; o++) {
    const cls = 1 + Math.floor(r() * (CLASSES - 1))
    const cx = Math.floor(r() * size)
    const cy = Math.floor(r() * size)
    const rad = Math.floor(8 + r() * size * (cls === CLASSES - 1 ? 0.02 : 0.15))
    for (let y = Math.max(0, cy - rad); y < Math.min(size, cy + rad); y++) {
      const dy = y - cy
      const half = Math.floor(Math.sqrt(rad * rad - dy * dy))
      const x0 = Math.max(0, cx - half)
      const x1 = Math.min(size, cx + half)
      if (x1 > x0) m.fill(cls, y * size + x0, y * size + x1)
    }
  }
  const bandStart = Math.floor(r() * size * 0.8)
  m.fill(255, bandStart * size, Math.min(size, bandStart + Math.floor(size * 0.1)) * size)
  return m
}

function noiseMask(size: number, seed: number, into: Uint8Array): Uint8Array {
  let s = seed >>> 0
  for (let i = 0; i < size * size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    const v = s >>> 29
    into[i] = v < CLASSES ? v : 255
  }
  return into
}

/** Wall-clock and CPU (user + system) milliseconds of one full recompute; CPU time is the steadier on a busy machine. */
function fullRecompute(masks: readonly Uint8Array[]): { ms: number; cpuMs: number; labeledPixels: number } {
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  const images: ImageClassCounts[] = masks.map((m) => ({ counts: countClassPixels(m, CLASSES) }))
  const stats = computeBalance(accumulate(images, CLASSES).totals())
  const ms = performance.now() - t0
  const c = process.cpuUsage(c0)
  return { ms, cpuMs: (c.user + c.system) / 1000, labeledPixels: stats.labeledPixels }
}

function naiveCount(masks: readonly Uint8Array[]): number {
  const t0 = performance.now()
  for (const m of masks) {
    const hist = new Uint32Array(256)
    for (let i = 0; i < m.length; i++) hist[m[i]]++
  }
  return performance.now() - t0
}

function report(label: string, masks: readonly Uint8Array[], repeats: number): void {
  const times: number[] = []
  const cpu: number[] = []
  let labeled = 0
  for (let i = 0; i < repeats; i++) {
    const r = fullRecompute(masks)
    times.push(r.ms)
    cpu.push(r.cpuMs)
    labeled = r.labeledPixels
  }
  const naive = naiveCount(masks)
  const s = (ms: number): string => `${(ms / 1000).toFixed(3)} s`
  console.log(
    `${label.padEnd(8)} full recompute: wall median ${s(median(times))}, best ${s(Math.min(...times))}; ` +
      `CPU median ${s(median(cpu))} (${repeats} runs; ${(labeled / 1e6).toFixed(0)} M labeled pixels) | naive byte loop, counting only: ${s(naive)}`,
  )
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[sorted.length >> 1]
}

function main(): void {
  const count = arg('masks', 1000)
  const size = arg('size', 1024)
  const repeats = arg('repeats', 3)
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`)
  console.log(`node ${process.version}, ${count} masks of ${size}×${size}, ${CLASSES} classes + 255`)
  const tGen = performance.now()
  const masks = Array.from({ length: count }, (_, i) => regionMask(size, i + 1))
  console.log(`generated region masks in ${((performance.now() - tGen) / 1000).toFixed(1)} s (not timed below)`)
  // Warm-up so the JIT has compiled the counting loop before timing.
  for (let i = 0; i < Math.min(20, count); i++) histogram256(masks[i])
  report('regions', masks, repeats)
  for (let i = 0; i < count; i++) noiseMask(size, i + 1, masks[i])
  report('noise', masks, repeats)
}

main()
