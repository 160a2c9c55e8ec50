/**
 * WebAssembly text for batch norm's training passes over a channels-last tensor seen as `rows` rows
 * of `c` channels (c a multiple of 4), generated per channel count. Sums are taken in float32 over
 * blocks of {@link BN_BLOCK_ROWS} rows and written out per block; the caller adds the block sums in
 * float64, so accuracy stays that of a 256-term sum however large the tensor.
 *
 * Exports:
 * - `sums(x, rows, part)`: part[block][c] = Σ x
 * - `sqdev(x, mean, rows, part)`: part[block][c] = Σ (x − mean)²
 * - `gradsums(dy, x, mean, rows, part)`: part[block][0..c) = Σ dy, part[block][c..2c) = Σ dy·(x − mean)
 * - `affine2(dy, x, coef, rows, out)`: out = coef[0..c)·dy + coef[c..2c)·x + coef[2c..3c)
 * - `affine1(x, coef, rows, out)`: out = coef[0..c)·x + coef[c..2c)
 */

/** Rows per partial sum. */
export const BN_BLOCK_ROWS = 256

const get = (name: string) => `(local.get $${name})`
const set = (name: string, value: string) => `(local.set $${name} ${value})`
const i32 = (n: number) => `(i32.const ${n})`
const add = (a: string, b: string) => `(i32.add ${a} ${b})`
const ZERO = '(v128.const f32x4 0 0 0 0)'
const load = (ptr: string, offset: number) => `(v128.load offset=${offset} ${ptr})`

function madd(fma: boolean, a: string, b: string, c: string): string {
  return fma ? `(f32x4.relaxed_madd ${a} ${b} ${c})` : `(f32x4.add ${c} (f32x4.mul ${a} ${b}))`
}

/** Vector groups of one row: [first vector, vectors] with at most `size` vectors each. */
function groups(c: number, size: number): [number, number][] {
  const vectors = c / 4
  const out: [number, number][] = []
  for (let v = 0; v < vectors; v += size) out.push([v, Math.min(size, vectors - v)])
  return out
}

/**
 * A blocked reduction: for each block of rows, each group of vectors is summed over the block's rows
 * with `term(j)` giving the value(s) added for vector j of the group.
 */
function blockedSums(
  c: number,
  partStride: number,
  groupSize: number,
  pointers: string[],
  perGroup: (first: number, count: number) => { setup: string[]; acc: string[]; body: string[]; store: string[] },
): string[] {
  const out: string[] = []
  out.push(`(if (i32.eqz ${get('rows')}) (then (return)))`)
  out.push(set('left', get('rows')))
  for (const p of pointers) out.push(set(`b_${p}`, get(p)))
  out.push('(loop $blocks')
  out.push(set('n', `(select ${i32(BN_BLOCK_ROWS)} ${get('left')} (i32.gt_u ${get('left')} ${i32(BN_BLOCK_ROWS)}))`))
  for (const [first, count] of groups(c, groupSize)) {
    const g = perGroup(first, count)
    out.push(...g.setup)
    for (const a of g.acc) out.push(set(a, ZERO))
    for (const p of pointers) out.push(set(`r_${p}`, add(get(`b_${p}`), i32(16 * first))))
    out.push(set('k', get('n')))
    out.push('(loop $rowsloop')
    out.push(...g.body)
    for (const p of pointers) out.push(set(`r_${p}`, add(get(`r_${p}`), i32(4 * c))))
    out.push(`(br_if $rowsloop (local.tee $k (i32.sub ${get('k')} ${i32(1)})))`)
    out.push(')')
    out.push(...g.store)
  }
  out.push(`(local.set $step (i32.mul ${get('n')} ${i32(4 * c)}))`)
  for (const p of pointers) out.push(set(`b_${p}`, add(get(`b_${p}`), get('step'))))
  out.push(set('part', add(get('part'), i32(4 * partStride))))
  out.push(`(br_if $blocks (local.tee $left (i32.sub ${get('left')} ${get('n')})))`)
  out.push(')')
  return out
}

function v128Locals(names: string[]): string {
  return names.map((n) => `(local $${n} v128)`).join(' ')
}

function i32Locals(names: string[]): string {
  return names.map((n) => `(local $${n} i32)`).join(' ')
}

const GROUP = 4
const range = (n: number) => Array.from({ length: n }, (_, i) => i)

function sumsFunc(c: number): string {
  const body = blockedSums(c, c, GROUP, ['x'], (first, count) => ({
    setup: [],
    acc: range(count).map((j) => `s${j}`),
    body: range(count).map((j) => set(`s${j}`, `(f32x4.add ${get(`s${j}`)} ${load(get('r_x'), 16 * j)})`)),
    store: range(count).map((j) => `(v128.store offset=${16 * (first + j)} ${get('part')} ${get(`s${j}`)})`),
  }))
  return [
    '(func (export "sums") (param $x i32) (param $rows i32) (param $part i32)',
    i32Locals(['left', 'n', 'k', 'step', 'b_x', 'r_x']),
    v128Locals(range(GROUP).map((j) => `s${j}`)),
    ...body,
    ')',
  ].join('\n')
}

function sqdevFunc(c: number): string {
  const body = blockedSums(c, c, GROUP, ['x'], (first, count) => ({
    setup: range(count).map((j) => set(`m${j}`, load(get('mean'), 16 * (first + j)))),
    acc: range(count).map((j) => `s${j}`),
    body: range(count).flatMap((j) => [
      set('d', `(f32x4.sub ${load(get('r_x'), 16 * j)} ${get(`m${j}`)})`),
      set(`s${j}`, `(f32x4.add ${get(`s${j}`)} (f32x4.mul ${get('d')} ${get('d')}))`),
    ]),
    store: range(count).map((j) => `(v128.store offset=${16 * (first + j)} ${get('part')} ${get(`s${j}`)})`),
  }))
  return [
    '(func (export "sqdev") (param $x i32) (param $mean i32) (param $rows i32) (param $part i32)',
    i32Locals(['left', 'n', 'k', 'step', 'b_x', 'r_x']),
    v128Locals([...range(GROUP).map((j) => `s${j}`), ...range(GROUP).map((j) => `m${j}`), 'd']),
    ...body,
    ')',
  ].join('\n')
}

const GRAD_GROUP = 2

function gradsumsFunc(c: number): string {
  const body = blockedSums(c, 2 * c, GRAD_GROUP, ['dy', 'x'], (first, count) => ({
    setup: range(count).map((j) => set(`m${j}`, load(get('mean'), 16 * (first + j)))),
    acc: range(count).flatMap((j) => [`s${j}`, `t${j}`]),
    body: range(count).flatMap((j) => [
      set('g', load(get('r_dy'), 16 * j)),
      set(`s${j}`, `(f32x4.add ${get(`s${j}`)} ${get('g')})`),
      set(`t${j}`, `(f32x4.add ${get(`t${j}`)} (f32x4.mul ${get('g')} (f32x4.sub ${load(get('r_x'), 16 * j)} ${get(`m${j}`)})))`),
    ]),
    store: range(count).flatMap((j) => [
      `(v128.store offset=${16 * (first + j)} ${get('part')} ${get(`s${j}`)})`,
      `(v128.store offset=${4 * c + 16 * (first + j)} ${get('part')} ${get(`t${j}`)})`,
    ]),
  }))
  return [
    '(func (export "gradsums") (param $dy i32) (param $x i32) (param $mean i32) (param $rows i32) (param $part i32)',
    i32Locals(['left', 'n', 'k', 'step', 'b_dy', 'r_dy', 'b_x', 'r_x']),
    v128Locals([...range(GRAD_GROUP).flatMap((j) => [`s${j}`, `t${j}`, `m${j}`]), 'g']),
    ...body,
    ')',
  ].join('\n')
}

/** out = coef[0..c)·a (+ coef[c..2c)·b) + coef[last], row by row, vector by vector. */
function affineFunc(c: number, inputs: 1 | 2, fma: boolean): string {
  const vectors = c / 4
  const name = inputs === 2 ? 'affine2' : 'affine1'
  const params = inputs === 2 ? '(param $a i32) (param $b i32)' : '(param $a i32)'
  const out: string[] = []
  out.push(`(if (i32.eqz ${get('rows')}) (then (return)))`)
  out.push(set('r', get('rows')))
  out.push('(loop $rowsloop')
  out.push(set('pc', get('coef')))
  out.push(set('k', i32(vectors)))
  out.push('(loop $vecs')
  const last = load(get('pc'), 4 * c * inputs)
  const inner = inputs === 2 ? madd(fma, load(get('pc'), 4 * c), load(get('b'), 0), last) : last
  out.push(`(v128.store ${get('out')} ${madd(fma, load(get('pc'), 0), load(get('a'), 0), inner)})`)
  out.push(set('a', add(get('a'), i32(16))))
  if (inputs === 2) out.push(set('b', add(get('b'), i32(16))))
  out.push(set('out', add(get('out'), i32(16))))
  out.push(set('pc', add(get('pc'), i32(16))))
  out.push(`(br_if $vecs (local.tee $k (i32.sub ${get('k')} ${i32(1)})))`)
  out.push(')')
  out.push(`(br_if $rowsloop (local.tee $r (i32.sub ${get('r')} ${i32(1)})))`)
  out.push(')')
  return [`(func (export "${name}") ${params} (param $coef i32) (param $rows i32) (param $out i32)`, i32Locals(['r', 'k', 'pc']), ...out, ')'].join('\n')
}

/** The batch-norm module for `c` channels. */
export function batchNormModuleWat(c: number, fma: boolean): string {
  if (!Number.isInteger(c) || c < 4 || c % 4 !== 0) throw new Error(`bn-codegen: channels must be a positive multiple of 4, got ${c}`)
  return [
    '(module',
    '(import "env" "memory" (memory 1))',
    sumsFunc(c),
    sqdevFunc(c),
    gradsumsFunc(c),
    affineFunc(c, 2, fma),
    affineFunc(c, 1, fma),
    ')',
  ].join('\n')
}

/** Number of partial-sum blocks for `rows` rows. */
export function blockCount(rows: number): number {
  return Math.ceil(rows / BN_BLOCK_ROWS)
}
