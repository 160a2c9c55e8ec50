/**
 * fast-check arbitraries that damage a seed file the ways real files are damaged: bit flips, overwritten
 * bytes and 32-bit fields, truncation, inserted and deleted runs, and declared sizes far beyond memory
 * (PNG IHDR with a fixed CRC, TIFF ImageWidth/ImageLength), or no seed at all (random bytes).
 */
import fc from 'fast-check'
import { crc32 } from 'node:zlib'
import type { Seed } from './seeds'

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'byte'; at: number; value: number }
  | { kind: 'u32'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }

const HUGE = [0, 1, 0xffff, 0x10000, 0x7fffffff, 0xffffffff, 1 << 20, 46341] as const

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('u32' as const), at: fc.nat(), value: fc.constantFrom(...HUGE) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 32 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
)

function apply(bytes: Buffer, m: Mutation): Buffer {
  if (bytes.length === 0) return bytes
  const at = m.at % bytes.length
  switch (m.kind) {
    case 'flip': {
      const out = Buffer.from(bytes)
      out[at] ^= 1 << m.bit
      return out
    }
    case 'byte': {
      const out = Buffer.from(bytes)
      out[at] = m.value
      return out
    }
    case 'u32': {
      const out = Buffer.from(bytes)
      if (at + 4 <= out.length) out.writeUInt32BE(m.value >>> 0, at)
      return out
    }
    case 'truncate':
      return bytes.subarray(0, at)
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at), m.bytes, bytes.subarray(at)])
    case 'delete':
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.length)])
  }
}

/** A PNG whose IHDR declares `width`×`height`, with a valid CRC so decoders believe it. */
export function pngWithSize(png: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(png)
  if (out.length < 33 || out.toString('latin1', 12, 16) !== 'IHDR') return out
  out.writeUInt32BE(width >>> 0, 16)
  out.writeUInt32BE(height >>> 0, 20)
  out.writeUInt32BE(crc32(out.subarray(12, 29)) >>> 0, 29)
  return out
}

/** A little-endian or big-endian TIFF whose first IFD declares `width`×`height` (tags 256, 257). */
export function tiffWithSize(tiff: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(tiff)
  const le = out.toString('latin1', 0, 2) === 'II'
  const u16 = (o: number): number => (le ? out.readUInt16LE(o) : out.readUInt16BE(o))
  const u32 = (o: number): number => (le ? out.readUInt32LE(o) : out.readUInt32BE(o))
  const ifd = u32(4)
  if (ifd + 2 > out.length) return out
  const n = u16(ifd)
  for (let i = 0; i < n; i++) {
    const e = ifd + 2 + i * 12
    if (e + 12 > out.length) break
    const tag = u16(e)
    if (tag !== 256 && tag !== 257) continue
    const value = tag === 256 ? width : height
    const type = u16(e + 2)
    if (type === 3 && le) out.writeUInt16LE(value & 0xffff, e + 8)
    else if (type === 3) out.writeUInt16BE(value & 0xffff, e + 8)
    else if (le) out.writeUInt32LE(value >>> 0, e + 8)
    else out.writeUInt32BE(value >>> 0, e + 8)
  }
  return out
}

/** A damaged file drawn from `seeds`: 1–4 mutations, a huge declared size, or random bytes. */
export function damagedFile(seeds: readonly Seed[]): fc.Arbitrary<Seed> {
  const seed = fc.constantFrom(...seeds)
  const size = fc.constantFrom(...HUGE)
  const mutated = fc.tuple(seed, fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([s, ms]) => ({ name: `mutated-${s.name}`, bytes: ms.reduce(apply, s.bytes) }))
  const huge = fc.tuple(seed, size, size).map(([s, w, h]) => {
    const bytes = s.name.endsWith('.png') ? pngWithSize(s.bytes, w, h) : /\.tiff?$/.test(s.name) ? tiffWithSize(s.bytes, w, h) : s.bytes
    return { name: `huge-${w}x${h}-${s.name}`, bytes }
  })
  const random = fc.uint8Array({ maxLength: 512 }).map((b) => ({ name: 'random.png', bytes: Buffer.from(b) }))
  return fc.oneof({ arbitrary: mutated, weight: 6 }, { arbitrary: huge, weight: 2 }, { arbitrary: random, weight: 1 })
}
