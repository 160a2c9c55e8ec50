import { beforeAll, describe, expect, it } from 'vitest'
import {
  channelBlocks,
  convModuleWat,
  defaultChunkRows,
  filterGradModuleWat,
  outputSize,
  packedBlockOffset,
  type ConvGeometry,
} from './conv-codegen'
import { generatedKernelsState, kernelExports, prepareGeneratedKernels } from './runtime'

/** Seeded uniform values in [-1, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 31 - 1
  }
}

/** Plain-loop reference: out[n, oh, ow, co] = bias + Σ xp[n, oh+kh, ow+kw, ci] · w[kh, kw, ci, co]. */
function refConv(g: ConvGeometry, n: number, xp: Float32Array, w: Float32Array, bias: Float32Array | null, relu: boolean): Float64Array {
  const { ho, wo } = outputSize(g)
  const out = new Float64Array(n * ho * wo * g.cout)
  for (let img = 0; img < n; img++) {
    for (let oh = 0; oh < ho; oh++) {
      for (let ow = 0; ow < wo; ow++) {
        for (let co = 0; co < g.cout; co++) {
          let s = bias ? bias[co] : 0
          for (let kh = 0; kh < g.kh; kh++) {
            for (let kw = 0; kw < g.kw; kw++) {
              for (let ci = 0; ci < g.cin; ci++) {
                s += xp[((img * g.hp + oh + kh) * g.wp + ow + kw) * g.cin + ci] * w[((kh * g.kw + kw) * g.cin + ci) * g.cout + co]
              }
            }
          }
          out[((img * ho + oh) * wo + ow) * g.cout + co] = relu ? Math.max(0, s) : s
        }
      }
    }
  }
  return out
}

function refFilterGrad(g: ConvGeometry, n: number, xp: Float32Array, dy: Float32Array): Float64Array {
  const { ho, wo } = outputSize(g)
  const dw = new Float64Array(g.kh * g.kw * g.cin * g.cout)
  for (let kh = 0; kh < g.kh; kh++) {
    for (let kw = 0; kw < g.kw; kw++) {
      for (let ci = 0; ci < g.cin; ci++) {
        for (let co = 0; co < g.cout; co++) {
          let s = 0
          for (let img = 0; img < n; img++) {
            for (let oh = 0; oh < ho; oh++) {
              for (let ow = 0; ow < wo; ow++) {
                s += xp[((img * g.hp + oh + kh) * g.wp + ow + kw) * g.cin + ci] * dy[((img * ho + oh) * wo + ow) * g.cout + co]
              }
            }
          }
          dw[((kh * g.kw + kw) * g.cin + ci) * g.cout + co] = s
        }
      }
    }
  }
  return dw
}

/** Packs w [tap][ci][cout] into [block][tap][ci][width] as the kernel expects. */
function pack(g: ConvGeometry, w: Float32Array): Float32Array {
  const taps = g.kh * g.kw
  const out = new Float32Array(w.length)
  const { full, tail4 } = channelBlocks(g.cout)
  const blocks: [number, number][] = Array.from({ length: full }, (_, b) => [8 * b, 8] as [number, number])
  if (tail4) blocks.push([8 * full, 4])
  for (const [co0, width] of blocks) {
    let d = packedBlockOffset(g, co0)
    for (let t = 0; t < taps; t++) for (let ci = 0; ci < g.cin; ci++) for (let j = 0; j < width; j++) out[d++] = w[(t * g.cin + ci) * g.cout + co0 + j]
  }
  return out
}

function maxRelativeError(got: Float32Array, want: Float64Array): number {
  let diff = 0
  let scale = 1e-12
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - want[i]))
    scale = Math.max(scale, Math.abs(want[i]))
  }
  return diff / scale
}

/** Lays out regions in one memory with a canary float after each, to catch out-of-bounds writes. */
class Arena {
  readonly memory = new WebAssembly.Memory({ initial: 64 })
  private next = 1024
  private readonly canaries: number[] = []

  put(values: Float32Array | number): number {
    const length = typeof values === 'number' ? values : values.length
    const ptr = this.next
    const bytes = 4 * (length + 1)
    const needed = ptr + bytes + 64 - this.memory.buffer.byteLength
    if (needed > 0) this.memory.grow(Math.ceil(needed / 65536))
    const f32 = new Float32Array(this.memory.buffer)
    if (typeof values !== 'number') f32.set(values, ptr >>> 2)
    f32[(ptr >>> 2) + length] = 12345.5
    this.canaries.push((ptr >>> 2) + length)
    this.next = ptr + bytes + 16 - ((ptr + bytes) % 16)
    return ptr
  }

  read(ptr: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, length).slice()
  }

  canariesIntact(): boolean {
    const f32 = new Float32Array(this.memory.buffer)
    return this.canaries.every((i) => f32[i] === 12345.5)
  }
}

interface Case extends ConvGeometry {
  n: number
  bias: boolean
  relu: boolean
  chunkRows: number
}

function cases(count: number, seed: number): Case[] {
  const next = rng(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(((next() + 1) / 2) * xs.length)]
  const out: Case[] = []
  while (out.length < count) {
    const kh = pick([1, 2, 3, 5])
    const kw = pick([1, 3, 4])
    const c: Case = {
      n: pick([1, 2, 3]),
      cin: pick([1, 3, 4, 5, 8, 13, 16]),
      cout: pick([4, 8, 12, 16, 20]),
      kh,
      kw,
      hp: kh - 1 + pick([1, 2, 5, 7]),
      wp: kw - 1 + pick([1, 3, 4, 5, 9, 12]),
      bias: next() > 0,
      relu: next() > 0,
      chunkRows: pick([1, 2, 3, 100]),
    }
    out.push(c)
  }
  return out
}

describe('generated convolution kernels match plain loops', () => {
  beforeAll(async () => {
    await prepareGeneratedKernels()
  })

  it('loads the assembler (relaxed SIMD is probed, not required)', () => {
    expect(generatedKernelsState()).not.toBeNull()
  })

  const all = cases(36, 3)
  it.each(all.map((c, i) => [i, c] as const))('conv and wgrad case %i %o', (_i, c) => {
    for (const fma of [true, false]) {
      if (fma && !generatedKernelsState()!.fma) continue
      const next = rng(100 + _i)
      const { ho, wo } = outputSize(c)
      const xp = Float32Array.from({ length: c.n * c.hp * c.wp * c.cin }, next)
      const w = Float32Array.from({ length: c.kh * c.kw * c.cin * c.cout }, next)
      const bias = Float32Array.from({ length: c.cout }, next)
      const dy = Float32Array.from({ length: c.n * ho * wo * c.cout }, next)
      const arena = new Arena()
      const px = arena.put(xp)
      const pw = arena.put(pack(c, w))
      const pbias = arena.put(bias)
      const pout = arena.put(c.n * ho * wo * c.cout)
      const pdy = arena.put(dy)
      const pdw = arena.put(w.length)
      const conv = kernelExports(arena.memory, convModuleWat({ ...c, fma })).conv as (...a: number[]) => void
      conv(px, pw, c.bias ? pbias : 0, pout, c.n)
      const wantOut = refConv(c, c.n, xp, w, c.bias ? bias : null, c.relu)
      expect(maxRelativeError(arena.read(pout, wantOut.length), wantOut)).toBeLessThan(1e-5)
      const wgrad = kernelExports(arena.memory, filterGradModuleWat({ ...c, fma })).wgrad as (...a: number[]) => void
      wgrad(px, pdy, pdw, c.n)
      const wantDw = refFilterGrad(c, c.n, xp, dy)
      expect(maxRelativeError(arena.read(pdw, wantDw.length), wantDw)).toBeLessThan(1e-5)
      expect(arena.canariesIntact()).toBe(true)
    }
  })

  it('sizes filter-gradient chunks to stay in cache, at least one row and at most the output', () => {
    const small: ConvGeometry = { cin: 16, cout: 16, kh: 3, kw: 3, hp: 10, wp: 10 }
    expect(defaultChunkRows(small)).toBe(8)
    const wide: ConvGeometry = { cin: 128, cout: 128, kh: 3, kw: 3, hp: 1026, wp: 1026 }
    expect(defaultChunkRows(wide)).toBe(1)
    const typical: ConvGeometry = { cin: 16, cout: 16, kh: 3, kw: 3, hp: 258, wp: 258 }
    const rows = defaultChunkRows(typical)
    expect(rows * 4 * (258 * 16 + 256 * 16)).toBeLessThanOrEqual(96 * 1024)
    expect(rows).toBeGreaterThan(1)
  })

  it('refuses shapes it cannot generate, naming the problem', () => {
    expect(() => convModuleWat({ cin: 3, cout: 6, kh: 3, kw: 3, hp: 8, wp: 8, bias: false, relu: false, fma: false })).toThrow(/multiple of 4/)
    expect(() => convModuleWat({ cin: 3, cout: 8, kh: 5, kw: 3, hp: 4, wp: 8, bias: false, relu: false, fma: false })).toThrow(/does not fit/)
    expect(() => filterGradModuleWat({ cin: 3, cout: 8, kh: 3, kw: 3, hp: 8, wp: 8, chunkRows: 0, fma: false })).toThrow(/chunkRows/)
  })
})
