/**
 * Train-throughput benchmark, LabelLoop side: the U-Net of core/train/model (depth 3, base 16, batch
 * norm) trained with Adam on synthetic images and labels, on LabelLoop's default backend (the first
 * that loads: wasm with our kernels on this machine). Prints one JSON line with images/second.
 * cpuSeconds is the process's CPU time (user + system, all threads), a steadier measure than wall
 * time when other jobs share the machine. With --profile, prints the total time per kernel name over the timed steps instead.
 *
 * Usage: tsx bench/train-throughput/tfjs-unet.ts --size 128 [--batch 8] [--steps 6] [--warmup 2] [--workers N] [--profile]
 * (--workers 0, the default, is what a run gets by default: data-parallel threads, core/train/parallel.)
 */
import * as tf from '@tensorflow/tfjs-core'
import { availableParallelism } from 'node:os'
import { parseArgs } from 'node:util'
import { TrainConfig } from '../../core/contract'
import { selectBackend } from '../../core/train/backend'
import { createObjective } from '../../core/train/loop/objective'
import { ScheduledAdam, type ModelSpec } from '../../core/train/loop/state'
import { createUNet } from '../../core/train/model/unet'
import { batchInputs } from '../../core/train/parallel/gradients'
import { ReplicaPool, resolveWorkers } from '../../core/train/parallel/replica-pool'

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '128' },
    batch: { type: 'string', default: '8' },
    steps: { type: 'string', default: '6' },
    warmup: { type: 'string', default: '2' },
    classes: { type: 'string', default: '4' },
    workers: { type: 'string', default: '0' },
    profile: { type: 'boolean', default: false },
  },
})
const size = Number(values.size)
const batch = Number(values.batch)
const steps = Number(values.steps)
const warmup = Number(values.warmup)
const classes = Number(values.classes)

const choice = await selectBackend()
// The engine's own step: plain cross-entropy through the loss registry, Adam, and as many data-parallel
// workers as a run gets by default on this machine (--workers N forces N; the profile runs one thread).
const config = TrainConfig.parse({ batchSize: batch, tileSize: size, workers: Number(values.workers), loss: { name: 'ce', classWeights: 'none' } })
const workers = values.profile ? 1 : resolveWorkers(config.workers, choice.name, batch, availableParallelism())
const spec: ModelSpec = { inChannels: 3, numClasses: classes, depth: 3, baseFilters: 16, dropout: 0, batchNorm: true, batchNormMomentum: 0.99, auxBoundaryHead: false }
const model = createUNet({ ...spec, seed: 1 })
const objective = createObjective(config, classes, null)
const optimizer = new ScheduledAdam(1e-3)
const vars = model.trainableWeights.map((w) => w.read() as tf.Variable)
const pool = workers > 1 ? await ReplicaPool.start({ workers, backend: choice.name as 'wasm' | 'cpu', spec, config, numClasses: classes, classWeights: null }) : null
const pixels = tf.randomUniform([batch, size, size, 3], 0, 1, 'float32', 1).dataSync() as Float32Array
const labels = tf.randomUniform([batch, size, size], 0, classes, 'int32', 2).dataSync() as Int32Array
const data = { size, count: batch, channels: 3, pixels, labels }

async function step(): Promise<number> {
  if (pool) return pool.step({ ...data, pixels: pixels.slice(), labels: labels.slice() }, model, { model, objective, vars, withBoundary: false }, optimizer, 1)
  objective.observe(labels)
  return tf.tidy(() => {
    const { x, y } = batchInputs(data, false)
    const loss = optimizer.minimize(() => objective.loss(model.apply(x, { training: true }) as tf.Tensor, y, null), true, vars)
    return loss ? loss.dataSync()[0] : NaN
  })
}

for (let i = 0; i < warmup; i++) await step()

if (values.profile) {
  const totals = new Map<string, { ms: number; calls: number }>()
  let wall = 0
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now()
    const info = await tf.profile(async () => {
      await step()
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
  for (let i = 0; i < steps; i++) last = await step()
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  const cpuSeconds = (cpu.user + cpu.system) / 1e6
  console.log(
    JSON.stringify({
      impl: 'labelloop-tfjs', backend: choice.name, device: choice.device, workers, defaultWorkers: config.workers === 0, size, batch, steps, seconds, cpuSeconds,
      imagesPerSecond: (batch * steps) / seconds, imagesPerCpuSecond: (batch * steps) / cpuSeconds, loss: last,
    }),
  )
}
await pool?.close()
