/**
 * WebAssembly text for the gradient of a 2×2, stride-2 max pool without padding (the U-Net's
 * downsampling) over channels-last data, c channels (a multiple of 4) baked in. Each window's
 * gradient goes to its first maximal element in row-major order, exactly as the cpu backend's strict
 * `>` scan does: masks from f32x4.eq against the window's maximum, each excluding the ones before it.
 *
 * Export `pool2grad(x, dy, dx, images, h, w)`: dx must be zeroed by the caller when h or w is odd
 * (the last row or column is then in no window).
 */

const get = (name: string) => `(local.get $${name})`
const set = (name: string, value: string) => `(local.set $${name} ${value})`
const i32 = (n: number) => `(i32.const ${n})`
const add = (a: string, b: string) => `(i32.add ${a} ${b})`
const mul = (a: string, b: string) => `(i32.mul ${a} ${b})`

export function maxPool2GradModuleWat(c: number): string {
  if (!Number.isInteger(c) || c < 4 || c % 4 !== 0) throw new Error(`pool-codegen: channels must be a positive multiple of 4, got ${c}`)
  const row = 4 * c // bytes per pixel
  const vectors = c / 4
  const body: string[] = []
  const oh = `(i32.shr_u ${get('h')} ${i32(1)})`
  const ow = `(i32.shr_u ${get('w')} ${i32(1)})`
  body.push(set('ow', ow))
  body.push(`(if (i32.or (i32.eqz ${get('ow')}) (i32.eqz ${oh})) (then (return)))`)
  body.push(set('rowbytes', mul(get('w'), i32(row))))
  body.push(set('pdy', get('dy')))
  body.push(set('img', get('n')))
  body.push('(loop $images')
  body.push(set('y', oh))
  body.push(set('rx', get('x')))
  body.push(set('rdx', get('dx')))
  body.push('(loop $rows')
  body.push(set('px', get('rx')))
  body.push(set('pdx', get('rdx')))
  body.push(set('ox', get('ow')))
  body.push('(loop $cols')
  body.push(set('k', i32(vectors)))
  body.push(set('qx', get('px')))
  body.push(set('qdx', get('pdx')))
  body.push('(loop $vecs')
  body.push(set('a', `(v128.load ${get('qx')})`))
  body.push(set('b', `(v128.load offset=${row} ${get('qx')})`))
  body.push(set('d', `(v128.load ${add(get('qx'), get('rowbytes'))})`))
  body.push(set('e', `(v128.load offset=${row} ${add(get('qx'), get('rowbytes'))})`))
  body.push(set('m', `(f32x4.max (f32x4.max ${get('a')} ${get('b')}) (f32x4.max ${get('d')} ${get('e')}))`))
  body.push(set('g', `(v128.load ${get('pdy')})`))
  body.push(set('ma', `(f32x4.eq ${get('a')} ${get('m')})`))
  body.push(set('mb', `(v128.andnot (f32x4.eq ${get('b')} ${get('m')}) ${get('ma')})`))
  body.push(set('seen', `(v128.or ${get('ma')} ${get('mb')})`))
  body.push(set('md', `(v128.andnot (f32x4.eq ${get('d')} ${get('m')}) ${get('seen')})`))
  body.push(set('seen', `(v128.or ${get('seen')} ${get('md')})`))
  body.push(`(v128.store ${get('qdx')} (v128.and ${get('g')} ${get('ma')}))`)
  body.push(`(v128.store offset=${row} ${get('qdx')} (v128.and ${get('g')} ${get('mb')}))`)
  body.push(`(v128.store ${add(get('qdx'), get('rowbytes'))} (v128.and ${get('g')} ${get('md')}))`)
  body.push(`(v128.store offset=${row} ${add(get('qdx'), get('rowbytes'))} (v128.andnot ${get('g')} ${get('seen')}))`)
  body.push(set('qx', add(get('qx'), i32(16))))
  body.push(set('qdx', add(get('qdx'), i32(16))))
  body.push(set('pdy', add(get('pdy'), i32(16))))
  body.push(`(br_if $vecs (local.tee $k (i32.sub ${get('k')} ${i32(1)})))`)
  body.push(')')
  body.push(set('px', add(get('px'), i32(2 * row))))
  body.push(set('pdx', add(get('pdx'), i32(2 * row))))
  body.push(`(br_if $cols (local.tee $ox (i32.sub ${get('ox')} ${i32(1)})))`)
  body.push(')')
  // Next pair of input rows.
  body.push(set('rx', add(get('rx'), mul(get('rowbytes'), i32(2)))))
  body.push(set('rdx', add(get('rdx'), mul(get('rowbytes'), i32(2)))))
  body.push(`(br_if $rows (local.tee $y (i32.sub ${get('y')} ${i32(1)})))`)
  body.push(')')
  // Next image: h rows per image (an odd last row is in no window).
  body.push(set('x', add(get('x'), mul(get('rowbytes'), get('h')))))
  body.push(set('dx', add(get('dx'), mul(get('rowbytes'), get('h')))))
  body.push(`(br_if $images (local.tee $img (i32.sub ${get('img')} ${i32(1)})))`)
  body.push(')')
  const i32s = ['ow', 'rowbytes', 'pdy', 'img', 'y', 'rx', 'rdx', 'px', 'pdx', 'ox', 'k', 'qx', 'qdx']
  const v128s = ['a', 'b', 'd', 'e', 'm', 'g', 'ma', 'mb', 'md', 'seen']
  return [
    '(module',
    '(import "env" "memory" (memory 1))',
    '(func (export "pool2grad") (param $x i32) (param $dy i32) (param $dx i32) (param $n i32) (param $h i32) (param $w i32)',
    i32s.map((n) => `(local $${n} i32)`).join(' '),
    v128s.map((n) => `(local $${n} v128)`).join(' '),
    ...body,
    ')',
    ')',
  ].join('\n')
}
