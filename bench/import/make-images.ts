/**
 * Writes the benchmark's input: `count` distinct size×size RGB PNGs of aerial-like texture. A few tiles
 * come from the sample generator; each file is one of them rolled by a different offset with its number
 * stamped in, so every file has its own content hash (imports skip duplicates) and realistic compression.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { generateSample } from '../../core/sample'

const BASE_TILES = 8

/** Runs `work` over `items` with at most `limit` at a time. */
export async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]
      await work(item)
    }
  })
  await Promise.all(runners)
}

/** Creates `dir` and fills it with bench-0001.png …; returns the file paths. */
export async function makeImages(dir: string, count: number, size: number): Promise<string[]> {
  await mkdir(dir, { recursive: true })
  const sample = await generateSample({ seed: 99, count: BASE_TILES, size })
  const bases = await Promise.all(sample.images.map((im) => sharp(im.png).raw().toBuffer()))
  const rowBytes = size * 3
  const paths = Array.from({ length: count }, (_, k) => join(dir, `bench-${String(k + 1).padStart(4, '0')}.png`))
  await pool(
    paths.map((p, k) => ({ p, k })),
    4,
    async ({ p, k }) => {
      const base = bases[k % BASE_TILES]
      const shift = (Math.floor(k / BASE_TILES) * 7) % size
      const pixels = Buffer.alloc(base.length)
      base.copy(pixels, 0, shift * rowBytes)
      base.copy(pixels, (size - shift) * rowBytes, 0, shift * rowBytes)
      // Stamp the file number into the first pixels so no two files are identical.
      pixels.writeUInt32BE(k, 0)
      await writeFile(p, await sharp(pixels, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer())
    },
  )
  return paths
}
