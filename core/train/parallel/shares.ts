/**
 * How work is shared between data-parallel threads: counts as equal as possible, tiles of uneven
 * batches regrouped per thread, and outputs split back as the batches were.
 */

/** `total` split into `parts` counts differing by at most one, larger first. */
export function evenCounts(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, t) => Math.floor(total / parts) + (t < total % parts ? 1 : 0))
}

/**
 * The tiles of `batches` ([count, …] each, `per` values a tile) as `threads` runs of consecutive tiles,
 * as equal as possible, each cut into batches no larger than the largest given. Every batch is a copy
 * (its buffer can be transferred).
 */
export function shareTiles(batches: readonly { pixels: Float32Array; count: number }[], threads: number, per: number): { pixels: Float32Array; count: number }[][] {
  const total = batches.reduce((n, b) => n + b.count, 0)
  const size = Math.max(1, ...batches.map((b) => b.count))
  const all = new Float32Array(total * per)
  let at = 0
  for (const b of batches) {
    all.set(b.pixels.subarray(0, b.count * per), at)
    at += b.count * per
  }
  const runs: { pixels: Float32Array; count: number }[][] = []
  let tile = 0
  for (const n of evenCounts(total, threads)) {
    const run: { pixels: Float32Array; count: number }[] = []
    for (let k = 0; k < n; k += size) {
      const count = Math.min(size, n - k)
      run.push({ pixels: all.slice((tile + k) * per, (tile + k + count) * per), count })
    }
    runs.push(run)
    tile += n
  }
  return runs
}

/** Concatenated per-tile outputs (in order) split back into batches of `counts` tiles. */
export function splitLike(outputs: readonly Float32Array[], counts: readonly number[]): Float32Array[] {
  const tiles = counts.reduce((n, c) => n + c, 0)
  const length = outputs.reduce((n, o) => n + o.length, 0)
  const perTile = tiles > 0 ? length / tiles : 0
  const all = new Float32Array(length)
  let at = 0
  for (const o of outputs) {
    all.set(o, at)
    at += o.length
  }
  const out: Float32Array[] = []
  let start = 0
  for (const c of counts) {
    out.push(all.subarray(start * perTile, (start + c) * perTile))
    start += c
  }
  return out
}
