/** Test images made in code: small RGB PNGs with distinct content (so none is a duplicate) and a broken one. */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { encode } from 'fast-png'

/** Writes `count` PNGs named `<prefix>-<i>.png` of size×size pixels; returns their paths. */
export async function writePngs(dir: string, prefix: string, count: number, size = 64): Promise<string[]> {
  const paths: string[] = []
  for (let i = 0; i < count; i++) {
    const data = new Uint8Array(size * size * 3)
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const o = (y * size + x) * 3
        data[o] = (x * 4 + i * 37) & 255
        data[o + 1] = (y * 4 + i * 91) & 255
        data[o + 2] = ((x ^ y) * 3 + i * 13) & 255
      }
    }
    const path = join(dir, `${prefix}-${i + 1}.png`)
    await writeFile(path, encode({ width: size, height: size, data, channels: 3, depth: 8 }))
    paths.push(path)
  }
  return paths
}

/** A file named .png whose bytes are a PNG signature followed by garbage: it cannot be decoded. */
export async function writeCorruptPng(dir: string, name: string): Promise<string> {
  const path = join(dir, name)
  const bytes = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('this is not image data '.repeat(20))])
  await writeFile(path, bytes)
  return path
}

/** Writes a single-channel mask PNG of class indices, every pixel `value` (255 = unlabeled). */
export async function writeMask(dir: string, name: string, size: number, value: number): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, encode({ width: size, height: size, data: new Uint8Array(size * size).fill(value), channels: 1, depth: 8 }))
  return path
}
