/**
 * WebAssembly text for LabelLoop's stride-1 convolution kernels, generated per layer shape so that
 * every stride and tap offset is an immediate. Two kernels, both register-blocked GEMMs on 128-bit
 * SIMD with a fused multiply-add (`f32x4.relaxed_madd`, an FMA instruction on x86-64 and arm64) or,
 * where relaxed SIMD is missing, a multiply and an add:
 *
 * - `conv`: out[n, oh, ow, co] = bias[co] + Σ_{kh, kw, ci} xp[n, oh + kh, ow + kw, ci] · w[kh, kw, ci, co]
 *   over an already padded NHWC input `xp`. A tile is MR neighbouring output pixels × 8 (or 4) output
 *   channels held in registers; the input values are broadcast straight from `xp` (no im2col), the
 *   filter comes packed per block of output channels as [tap][ci][8]. Used for the forward pass and,
 *   with the filter flipped and its channel axes swapped, for the input gradient.
 * - `wgrad`: dw[kh, kw, ci, co] += Σ_{n, oh, ow} xp[n, oh + kh, ow + kw, ci] · dy[n, oh, ow, co]. A tile
 *   is MR input channels × 8 (or 4) output channels; the sum runs over a chunk of rows small enough
 *   to stay in cache, and the tile is added into dw (which the caller zeroes first).
 *
 * The text is pure (no I/O); `runtime.ts` assembles and instantiates it against tfjs' wasm memory.
 */

/** Output pixels per register tile (rows of the GEMM). 4 × 8 channels keeps 8 accumulators + 3
 * operands in the 16 vector registers of x86-64, which measured fastest here. */
export const TILE_PIXELS = 4
/** Input channels per register tile of the filter gradient. */
export const TILE_CHANNELS = 4

/** The geometry of one stride-1 convolution over a padded input. */
export interface ConvGeometry {
  /** Input channels (the GEMM's inner dimension per tap). */
  cin: number
  /** Output channels; must be a multiple of 4. */
  cout: number
  kh: number
  kw: number
  /** Padded input height and width. */
  hp: number
  wp: number
}

export interface ConvSpec extends ConvGeometry {
  bias: boolean
  relu: boolean
  fma: boolean
}

export interface FilterGradSpec extends ConvGeometry {
  /** Output rows summed per pass over the tiles (sized to stay in cache). */
  chunkRows: number
  fma: boolean
}

/** Output height and width of a stride-1 convolution over the padded input. */
export function outputSize(g: ConvGeometry): { ho: number; wo: number } {
  return { ho: g.hp - g.kh + 1, wo: g.wp - g.kw + 1 }
}

/** Output-channel blocks: full 8-wide blocks, then one 4-wide block when cout % 8 == 4. */
export function channelBlocks(cout: number): { full: number; tail4: boolean } {
  if (cout % 4 !== 0) throw new Error(`codegen: output channels must be a multiple of 4, got ${cout}`)
  return { full: Math.floor(cout / 8), tail4: cout % 8 === 4 }
}

/** Offset in floats of the packed block that starts at output channel `co0`: [tap][ci][width]. */
export function packedBlockOffset(g: ConvGeometry, co0: number): number {
  return g.kh * g.kw * g.cin * co0
}

/** Output rows per chunk of the filter gradient: the chunk's input and dy rows fit in ~96 KB. */
export function defaultChunkRows(g: ConvGeometry): number {
  const { ho, wo } = outputSize(g)
  const bytesPerRow = 4 * (g.wp * g.cin + wo * g.cout)
  return Math.max(1, Math.min(ho, Math.floor((96 * 1024) / bytesPerRow)))
}

const get = (name: string) => `(local.get $${name})`
const set = (name: string, value: string) => `(local.set $${name} ${value})`
const i32 = (n: number) => `(i32.const ${n})`
const add = (a: string, b: string) => `(i32.add ${a} ${b})`
const mul = (a: string, b: string) => `(i32.mul ${a} ${b})`
const ZERO = '(v128.const f32x4 0 0 0 0)'

function checkGeometry(g: ConvGeometry): void {
  for (const [key, v] of Object.entries({ cin: g.cin, cout: g.cout, kh: g.kh, kw: g.kw, hp: g.hp, wp: g.wp })) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`codegen: ${key} must be a positive integer, got ${v}`)
  }
  if (g.kh > g.hp || g.kw > g.wp) throw new Error(`codegen: a ${g.kh}x${g.kw} kernel does not fit a ${g.hp}x${g.wp} input`)
  channelBlocks(g.cout)
}

function madd(fma: boolean, a: string, b: string, c: string): string {
  return fma ? `(f32x4.relaxed_madd ${a} ${b} ${c})` : `(f32x4.add ${c} (f32x4.mul ${a} ${b}))`
}

function accNames(mr: number, nv: number): string[] {
  const names: string[] = []
  for (let i = 0; i < mr; i++) for (let j = 0; j < nv; j++) names.push(`c${i}_${j}`)
  return names
}

function v128Locals(mr: number, nv: number): string {
  const names = [...accNames(mr, nv), ...Array.from({ length: nv }, (_, j) => `b${j}`), 'av', 'bias0', 'bias1']
  return names.map((n) => `(local $${n} v128)`).join(' ')
}

/**
 * One register tile of `conv`: `mr` pixels × `nv` vectors of 4 output channels. Expects $px (input
 * pixel 0, tap 0), $wb (packed block), $bb (bias block, when used) and $po (output of pixel 0).
 */
function convTile(s: ConvSpec, mr: number, nv: number): string[] {
  const out: string[] = []
  const taps = s.kh * s.kw
  if (s.bias) {
    for (let j = 0; j < nv; j++) out.push(set(`bias${j}`, `(v128.load offset=${16 * j} ${get('bb')})`))
  }
  for (let i = 0; i < mr; i++) for (let j = 0; j < nv; j++) out.push(set(`c${i}_${j}`, s.bias ? get(`bias${j}`) : ZERO))
  for (let t = 0; t < taps; t++) {
    const tapOffset = 4 * s.cin * (Math.floor(t / s.kw) * s.wp + (t % s.kw))
    out.push(set('pa', add(get('px'), i32(tapOffset))))
    out.push(set('pb', add(get('wb'), i32(16 * nv * s.cin * t))))
    out.push(set('k', i32(s.cin)))
    out.push('(loop $ci')
    for (let j = 0; j < nv; j++) out.push(set(`b${j}`, `(v128.load offset=${16 * j} ${get('pb')})`))
    for (let i = 0; i < mr; i++) {
      out.push(set('av', `(v128.load32_splat offset=${4 * s.cin * i} ${get('pa')})`))
      for (let j = 0; j < nv; j++) out.push(set(`c${i}_${j}`, madd(s.fma, get('av'), get(`b${j}`), get(`c${i}_${j}`))))
    }
    out.push(set('pa', add(get('pa'), i32(4))))
    out.push(set('pb', add(get('pb'), i32(16 * nv))))
    out.push(`(br_if $ci (local.tee $k (i32.sub ${get('k')} ${i32(1)})))`)
    out.push(')')
  }
  for (let i = 0; i < mr; i++) {
    for (let j = 0; j < nv; j++) {
      const v = s.relu ? `(f32x4.max ${get(`c${i}_${j}`)} ${ZERO})` : get(`c${i}_${j}`)
      out.push(`(v128.store offset=${4 * s.cout * i + 16 * j} ${get('po')} ${v})`)
    }
  }
  return out
}

/** A row of output pixels for one channel block: full tiles, then the remainder tile. */
function convRowBlock(s: ConvSpec, wo: number, nv: number): string[] {
  const out: string[] = []
  const full = Math.floor(wo / TILE_PIXELS)
  const rest = wo % TILE_PIXELS
  out.push(set('px', get('rowx')))
  if (full > 0) {
    out.push(set('m', i32(full)))
    out.push('(loop $tiles')
    out.push(...convTile(s, TILE_PIXELS, nv))
    out.push(set('px', add(get('px'), i32(4 * s.cin * TILE_PIXELS))))
    out.push(set('po', add(get('po'), i32(4 * s.cout * TILE_PIXELS))))
    out.push(`(br_if $tiles (local.tee $m (i32.sub ${get('m')} ${i32(1)})))`)
    out.push(')')
  }
  if (rest > 0) out.push(...convTile(s, rest, nv))
  return out
}

/** The `conv` module: export `conv(xp, packedW, bias, out, images)`, memory imported as env.memory. */
export function convModuleWat(s: ConvSpec): string {
  checkGeometry(s)
  const { ho, wo } = outputSize(s)
  const { full, tail4 } = channelBlocks(s.cout)
  const body: string[] = []
  body.push(set('rowx', get('x')))
  body.push(set('rowo', get('out')))
  body.push('(loop $images')
  body.push(set('oh', i32(ho)))
  body.push('(loop $rows')
  if (full > 0) {
    body.push(set('blk', i32(0)))
    body.push('(loop $blocks')
    body.push(set('wb', add(get('w'), mul(get('blk'), i32(4 * 8 * s.kh * s.kw * s.cin)))))
    body.push(set('bb', add(get('bias'), mul(get('blk'), i32(32)))))
    body.push(set('po', add(get('rowo'), mul(get('blk'), i32(32)))))
    body.push(...convRowBlock(s, wo, 2))
    body.push(`(br_if $blocks (i32.lt_u (local.tee $blk (i32.add ${get('blk')} ${i32(1)})) ${i32(full)}))`)
    body.push(')')
  }
  if (tail4) {
    body.push(set('wb', add(get('w'), i32(4 * packedBlockOffset(s, 8 * full)))))
    body.push(set('bb', add(get('bias'), i32(32 * full))))
    body.push(set('po', add(get('rowo'), i32(32 * full))))
    body.push(...convRowBlock(s, wo, 1))
  }
  body.push(set('rowx', add(get('rowx'), i32(4 * s.wp * s.cin))))
  body.push(set('rowo', add(get('rowo'), i32(4 * wo * s.cout))))
  body.push(`(br_if $rows (local.tee $oh (i32.sub ${get('oh')} ${i32(1)})))`)
  body.push(')')
  // Skip the last (kh - 1) padded rows of this image.
  body.push(set('rowx', add(get('rowx'), i32(4 * (s.kh - 1) * s.wp * s.cin))))
  body.push(`(br_if $images (local.tee $n (i32.sub ${get('n')} ${i32(1)})))`)
  body.push(')')
  const locals = '(local $rowx i32) (local $rowo i32) (local $oh i32) (local $blk i32) (local $wb i32) (local $bb i32) ' +
    '(local $px i32) (local $po i32) (local $pa i32) (local $pb i32) (local $k i32) (local $m i32) ' + v128Locals(TILE_PIXELS, 2)
  return [
    '(module',
    '(import "env" "memory" (memory 1))',
    '(func (export "conv") (param $x i32) (param $w i32) (param $bias i32) (param $out i32) (param $n i32)',
    locals,
    ...body,
    ')',
    ')',
  ].join('\n')
}

/**
 * One register tile of `wgrad`: `mr` input channels × `nv` vectors of output channels, for one tap.
 * Expects $pdw (dw at [tap][ci0][co0]), $cx (xp at chunk row 0, this tap, ci0), $cd (dy at chunk row
 * 0, co0) and $rows (rows in this chunk).
 */
function filterGradTile(s: FilterGradSpec, wo: number, mr: number, nv: number): string[] {
  const out: string[] = []
  for (let i = 0; i < mr; i++) {
    for (let j = 0; j < nv; j++) out.push(set(`c${i}_${j}`, `(v128.load offset=${4 * s.cout * i + 16 * j} ${get('pdw')})`))
  }
  out.push(set('rx', get('cx')))
  out.push(set('rd', get('cd')))
  out.push(set('r', get('rows')))
  out.push('(loop $rowloop')
  out.push(set('pa', get('rx')))
  out.push(set('pb', get('rd')))
  out.push(set('k', i32(wo)))
  out.push('(loop $px')
  for (let j = 0; j < nv; j++) out.push(set(`b${j}`, `(v128.load offset=${16 * j} ${get('pb')})`))
  for (let i = 0; i < mr; i++) {
    out.push(set('av', `(v128.load32_splat offset=${4 * i} ${get('pa')})`))
    for (let j = 0; j < nv; j++) out.push(set(`c${i}_${j}`, madd(s.fma, get('av'), get(`b${j}`), get(`c${i}_${j}`))))
  }
  out.push(set('pa', add(get('pa'), i32(4 * s.cin))))
  out.push(set('pb', add(get('pb'), i32(4 * s.cout))))
  out.push(`(br_if $px (local.tee $k (i32.sub ${get('k')} ${i32(1)})))`)
  out.push(')')
  out.push(set('rx', add(get('rx'), i32(4 * s.wp * s.cin))))
  out.push(set('rd', add(get('rd'), i32(4 * wo * s.cout))))
  out.push(`(br_if $rowloop (local.tee $r (i32.sub ${get('r')} ${i32(1)})))`)
  out.push(')')
  for (let i = 0; i < mr; i++) {
    for (let j = 0; j < nv; j++) out.push(`(v128.store offset=${4 * s.cout * i + 16 * j} ${get('pdw')} ${get(`c${i}_${j}`)})`)
  }
  return out
}

/** All channel blocks of one tap and one block of `mr` input channels starting at $ci0. */
function filterGradChannelBlock(s: FilterGradSpec, wo: number, mr: number): string[] {
  const out: string[] = []
  const { full, tail4 } = channelBlocks(s.cout)
  // $tx: xp at chunk row 0 for this tap; $tdw: dw at [tap][0][0].
  out.push(set('bx', add(get('tx'), mul(get('ci0'), i32(4)))))
  out.push(set('bdw', add(get('tdw'), mul(get('ci0'), i32(4 * s.cout)))))
  if (full > 0) {
    out.push(set('blk', i32(0)))
    out.push('(loop $coblocks')
    out.push(set('pdw', add(get('bdw'), mul(get('blk'), i32(32)))))
    out.push(set('cx', get('bx')))
    out.push(set('cd', add(get('dyrow'), mul(get('blk'), i32(32)))))
    out.push(...filterGradTile(s, wo, mr, 2))
    out.push(`(br_if $coblocks (i32.lt_u (local.tee $blk (i32.add ${get('blk')} ${i32(1)})) ${i32(full)}))`)
    out.push(')')
  }
  if (tail4) {
    out.push(set('pdw', add(get('bdw'), i32(32 * full))))
    out.push(set('cx', get('bx')))
    out.push(set('cd', add(get('dyrow'), i32(32 * full))))
    out.push(...filterGradTile(s, wo, mr, 1))
  }
  return out
}

/** The `wgrad` module: export `wgrad(xp, dy, dw, images)`; dw must be zeroed by the caller. */
export function filterGradModuleWat(s: FilterGradSpec): string {
  checkGeometry(s)
  if (!Number.isInteger(s.chunkRows) || s.chunkRows < 1) throw new Error(`codegen: chunkRows must be a positive integer, got ${s.chunkRows}`)
  const { ho, wo } = outputSize(s)
  const fullCi = Math.floor(s.cin / TILE_CHANNELS)
  const restCi = s.cin % TILE_CHANNELS
  const body: string[] = []
  body.push(set('img', i32(0)))
  body.push('(loop $images')
  body.push(set('oh0', i32(0)))
  body.push('(loop $chunks')
  // rows = min(chunkRows, ho - oh0)
  body.push(set('rows', `(select ${i32(s.chunkRows)} (i32.sub ${i32(ho)} ${get('oh0')}) (i32.lt_u ${i32(s.chunkRows)} (i32.sub ${i32(ho)} ${get('oh0')})))`))
  body.push(set('xrow', add(get('x'), mul(add(mul(get('img'), i32(s.hp)), get('oh0')), i32(4 * s.wp * s.cin)))))
  body.push(set('dyrow', add(get('dy'), mul(add(mul(get('img'), i32(ho)), get('oh0')), i32(4 * wo * s.cout)))))
  for (let t = 0; t < s.kh * s.kw; t++) {
    const tapOffset = 4 * s.cin * (Math.floor(t / s.kw) * s.wp + (t % s.kw))
    body.push(set('tx', add(get('xrow'), i32(tapOffset))))
    body.push(set('tdw', add(get('dw'), i32(4 * t * s.cin * s.cout))))
    if (fullCi > 0) {
      body.push(set('ci0', i32(0)))
      body.push(`(loop $ciblocks${t}`)
      body.push(...filterGradChannelBlock(s, wo, TILE_CHANNELS))
      body.push(`(br_if $ciblocks${t} (i32.lt_u (local.tee $ci0 (i32.add ${get('ci0')} ${i32(TILE_CHANNELS)})) ${i32(fullCi * TILE_CHANNELS)}))`)
      body.push(')')
    }
    if (restCi > 0) {
      body.push(set('ci0', i32(fullCi * TILE_CHANNELS)))
      body.push(...filterGradChannelBlock(s, wo, restCi))
    }
  }
  body.push(`(br_if $chunks (i32.lt_u (local.tee $oh0 (i32.add ${get('oh0')} ${i32(s.chunkRows)})) ${i32(ho)}))`)
  body.push(')')
  body.push(`(br_if $images (i32.lt_u (local.tee $img (i32.add ${get('img')} ${i32(1)})) ${get('n')}))`)
  body.push(')')
  const locals = '(local $img i32) (local $oh0 i32) (local $rows i32) (local $xrow i32) (local $dyrow i32) (local $tx i32) ' +
    '(local $tdw i32) (local $ci0 i32) (local $bx i32) (local $bdw i32) (local $blk i32) (local $pdw i32) (local $cx i32) ' +
    '(local $cd i32) (local $rx i32) (local $rd i32) (local $r i32) (local $pa i32) (local $pb i32) (local $k i32) ' +
    v128Locals(TILE_CHANNELS, 2)
  return [
    '(module',
    '(import "env" "memory" (memory 1))',
    '(func (export "wgrad") (param $x i32) (param $dy i32) (param $dw i32) (param $n i32)',
    locals,
    ...body,
    ')',
    ')',
  ].join('\n')
}

/** A one-instruction module that validates only where relaxed SIMD is available. */
export const RELAXED_SIMD_PROBE =
  '(module (func (export "f") (param v128 v128 v128) (result v128) (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2))))'
