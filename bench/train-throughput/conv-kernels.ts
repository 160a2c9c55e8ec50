/**
 * Per-layer convolution speed on the wasm backend: the forward pass, the input gradient and the
 * filter gradient of every 3×3 layer shape of the benchmark U-Net (depth 3, base 16, batch 8), once
 * on LabelLoop's generated FMA kernels and once on the XNNPACK paths they replace, in one process,
 * alternating. Prints GFLOP/s (2·N·H·W·9·Cin·Cout per call) per layer and kernel, median of the
 * timed calls after warm-up calls (the warm-up also lets V8 finish optimising the generated code).
 *
 * Usage: tsx bench/train-throughput/conv-kernels.ts [--size 128] [--batch 8] [--reps 5]
 */
import * as tf from '@tensorflow/tfjs-core'
import { parseArgs } from 'node:util'
import { selectBackend } from '../../core/train/backend'
import { setGeneratedKernelsEnabled } from '../../core/train/kernels/generated/runtime'

const { values } = parseArgs({
  options: { size: { type: 'string', default: '128' }, batch: { type: 'string', default: '8' }, reps: { type: 'string', default: '5' } },
})
const size = Number(values.size)
const batch = Number(values.batch)
const reps = Number(values.reps)

const choice = await selectBackend({ force: 'wasm' })
console.log(`backend ${choice.name}: ${choice.device}`)

// [side, cin, cout]: encoder, bottleneck and decoder (the decoder's conv(concat) is two convs summed).
const levels = [0, 1, 2, 3].map((l) => ({ side: size >> l, c: 16 << l }))
const layers: [number, number, number][] = []
for (const { side, c } of levels) layers.push([side, c === 16 ? 3 : c / 2, c], [side, c, c])
for (const { side, c } of levels.slice(0, 3).reverse()) layers.push([side, 2 * c, c], [side, c, c], [side, c, c])

type Op = 'forward' | 'input grad' | 'filter grad'
const ops: Op[] = ['forward', 'input grad', 'filter grad']

function run(op: Op, x: tf.Tensor4D, f: tf.Tensor4D, dy: tf.Tensor4D): tf.Tensor {
  const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, dilations: 1 }
  if (op === 'forward') return tf.conv2d(x, f, 1, 'same')
  if (op === 'input grad') return tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: f }, { ...attrs, inputShape: x.shape } as never) as tf.Tensor
  return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: f.shape } as never) as tf.Tensor
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

const totals = { generated: new Map<Op, number>(), xnnpack: new Map<Op, number>() }
console.log('| layer (side, cin→cout) | kernel | generated GFLOP/s | XNNPACK GFLOP/s | speed-up |')
console.log('|---|---|---|---|---|')
for (const [side, cin, cout] of layers) {
  const x = tf.randomUniform([batch, side, side, cin], -1, 1, 'float32', 1) as tf.Tensor4D
  const f = tf.randomUniform([3, 3, cin, cout], -1, 1, 'float32', 2) as tf.Tensor4D
  const dy = tf.randomUniform([batch, side, side, cout], -1, 1, 'float32', 3) as tf.Tensor4D
  const flop = 2 * batch * side * side * 9 * cin * cout
  for (const op of ops) {
    if (op === 'input grad' && cin === 3) continue // the first layer's input needs no gradient
    const times = { generated: [] as number[], xnnpack: [] as number[] }
    for (let r = 0; r < reps + 2; r++) {
      for (const kind of ['generated', 'xnnpack'] as const) {
        setGeneratedKernelsEnabled(kind === 'generated')
        const t0 = performance.now()
        const out = run(op, x, f, dy)
        out.dataSync()
        const ms = performance.now() - t0
        out.dispose()
        if (r >= 2) times[kind].push(ms)
      }
    }
    const g = median(times.generated)
    const n = median(times.xnnpack)
    totals.generated.set(op, (totals.generated.get(op) ?? 0) + g)
    totals.xnnpack.set(op, (totals.xnnpack.get(op) ?? 0) + n)
    console.log(`| ${side}², ${cin}→${cout} | ${op} | ${(flop / g / 1e6).toFixed(1)} | ${(flop / n / 1e6).toFixed(1)} | ${(n / g).toFixed(2)}× |`)
  }
  tf.dispose([x, f, dy])
}
setGeneratedKernelsEnabled(true)
console.log('\n| kernel | generated ms (all layers) | XNNPACK ms | speed-up |\n|---|---|---|---|')
for (const op of ops) {
  const g = totals.generated.get(op)!
  const n = totals.xnnpack.get(op)!
  console.log(`| ${op} | ${g.toFixed(0)} | ${n.toFixed(0)} | ${(n / g).toFixed(2)}× |`)
}
