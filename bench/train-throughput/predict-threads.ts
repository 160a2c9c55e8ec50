/**
 * Prediction throughput on one thread and on the default prediction replicas (core/train/parallel):
 * a synthetic normalised image predicted band by band (core/train/loop/predict predictRows) with an
 * untrained U-Net of the given depth, tiles of `--tile` px. Prints one JSON line per thread setting.
 *
 * Usage: tsx bench/train-throughput/predict-threads.ts [--size 2048] [--tile 256] [--depth 4] [--base 16]
 */
import { parseArgs } from 'node:util'
import { selectBackend } from '../../core/train/backend'
import { memoryRows, predictRows, softmaxRunner, tiling } from '../../core/train/loop/predict'
import type { ModelSpec } from '../../core/train/loop/state'
import { createUNet } from '../../core/train/model/unet'
import { startPredictPool } from '../../core/train/parallel/predict-pool'

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '2048' },
    tile: { type: 'string', default: '256' },
    depth: { type: 'string', default: '4' },
    base: { type: 'string', default: '16' },
  },
})
const size = Number(values.size)
const tile = Number(values.tile)
const choice = await selectBackend()
const spec: ModelSpec = { inChannels: 3, numClasses: 4, depth: Number(values.depth) as 3 | 4 | 5, baseFilters: Number(values.base), dropout: 0, batchNorm: true, batchNormMomentum: 0.9, auxBoundaryHead: false }
const model = createUNet({ ...spec, seed: 1 })
const data = new Float32Array(size * size * 3)
for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.001) * 0.5
const image = { id: 1, name: 'bench', width: size, height: size, channels: 3, data }

for (const workers of [1, 0]) {
  const pool = await startPredictPool(model, spec, workers)
  const many = pool?.tileRunner({ size: tile, channels: 3, tta: false, passes: 1 })
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  let rows = 0
  await predictRows(memoryRows(image), softmaxRunner(model, tile, 3), { ...tiling({ tileSize: tile, numClasses: 4 }), many }, (b) => {
    rows += b.rows
  })
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  console.log(JSON.stringify({ backend: choice.name, threads: pool?.workers ?? 1, image: size, tile, depth: spec.depth, base: spec.baseFilters, rows, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, megapixelsPerSecond: (size * size) / 1e6 / seconds }))
  await pool?.close()
}
model.dispose()
