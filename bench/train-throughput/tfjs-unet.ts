/**
 * Train-throughput benchmark, LabelLoop side: the U-Net of core/train/model (depth 3, base 16, batch
 * norm) trained with Adam on synthetic images and labels, on LabelLoop's default backend (the first
 * that loads: wasm with our kernels on this machine). Prints one JSON line with images/second.
 * cpuSeconds is the process's CPU time (user + system, all threads), a steadier measure than wall
 * time when other jobs share the machine. With --profile, prints the total time per kernel name over the timed steps instead.
 *
 * Usage: tsx bench/train-throughput/tfjs-unet.ts --size 128 [--batch 8] [--steps 6] [--warmup 2] [--profile]
 */
import * as tf from '@tensorflow/tfjs-core'
import { parseArgs } from 'node:util'
import { selectBackend } from '../../core/train/backend'
import { createUNet } from '../../core/train/model/unet'

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '128' },
    batch: { type: 'string', default: '8' },
    steps: { type: 'string', default: '6' },
    warmup: { type: 'string', default: '2' },
    classes: { type: 'string', default: '4' },
    profile: { type: 'boolean', default: false },
  },
})
const size = Number(values.size)
const batch = Number(values.batch)
const steps = Number(values.steps)
const warmup = Number(values.warmup)
const classes = Number(values.classes)

const choice = await selectBackend()
const model = createUNet({ inChannels: 3, numClasses: classes, depth: 3, baseFilters: 16, batchNorm: true, seed: 1 })
const optimizer = tf.train.adam(1e-3)
const xs = tf.randomUniform([batch, size, size, 3], 0, 1, 'float32', 1)
const labels = tf.oneHot(tf.reshape(tf.randomUniform([batch, size, size], 0, classes, 'int32', 2), [-1]), classes)

function step(): number {
  const loss = optimizer.minimize(() => {
    const logits = model.apply(xs, { training: true }) as tf.Tensor
    return tf.losses.softmaxCrossEntropy(labels, tf.reshape(logits, [-1, classes]))
  }, true) as tf.Scalar
  const value = loss.dataSync()[0]
  loss.dispose()
  return value
}

for (let i = 0; i < warmup; i++) step()

if (values.profile) {
  const totals = new Map<string, { ms: number; calls: number }>()
  let wall = 0
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now()
    const info = await tf.profile(() => {
      step()
    })
    wall += performance.now() - t0
    for (const k of info.kernels) {
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0
      const entry = totals.get(k.name) ?? { ms: 0, calls: 0 }
      entry.ms += ms
      entry.calls++
      totals.set(k.name, entry)
    }
  }
  const rows = [...totals.entries()].sort((a, b) => b[1].ms - a[1].ms)
  const sum = rows.reduce((s, [, v]) => s + v.ms, 0)
  console.log(`backend ${choice.name}; size ${size}; batch ${batch}; per step: wall ${(wall / steps).toFixed(0)} ms, kernels ${(sum / steps).toFixed(0)} ms`)
  for (const [name, v] of rows.slice(0, 25)) {
    console.log(`${name.padEnd(26)} ${(v.ms / steps).toFixed(1).padStart(8)} ms/step ${((100 * v.ms) / sum).toFixed(1).padStart(5)}%  ${(v.calls / steps).toFixed(0)} calls/step`)
  }
} else {
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  let last = 0
  for (let i = 0; i < steps; i++) last = step()
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  const cpuSeconds = (cpu.user + cpu.system) / 1e6
  console.log(
    JSON.stringify({
      impl: 'labelloop-tfjs', backend: choice.name, device: choice.device, size, batch, steps, seconds, cpuSeconds,
      imagesPerSecond: (batch * steps) / seconds, imagesPerCpuSecond: (batch * steps) / cpuSeconds, loss: last,
    }),
  )
}
