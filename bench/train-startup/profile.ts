/**
 * Where the time before a run's first batch goes, stage by stage, on a project (the sample by default):
 * loading tfjs, starting the wasm backend (with the generated-kernel assembler), reading and decoding the
 * labeled images, starting the data-parallel replica threads, and then the whole trainer job up to its
 * first training batch as the app runs it (with the generated kernels' assembly time inside it).
 *
 *   npx tsx bench/train-startup/profile.ts [project.labelloop] [--workers N] [--prewarm]
 *
 * Prints one line per stage (seconds) and a JSON summary on the last line.
 */
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'

const args = process.argv.slice(2)
const workersAt = args.indexOf('--workers')
const workers = workersAt >= 0 ? Number(args[workersAt + 1]) : availableParallelism()
const project = args.find((a, i) => !a.startsWith('--') && (workersAt < 0 || i !== workersAt + 1)) ?? join(process.env.LABELLOOP_HOME ?? '.', 'sample.labelloop')

const figures: Record<string, number> = {}
async function stage<T>(name: string, work: () => Promise<T>): Promise<T> {
  const t = performance.now()
  const out = await work()
  figures[name] = Number(((performance.now() - t) / 1000).toFixed(2))
  console.log(`${name.padEnd(34)} ${figures[name].toFixed(2)} s`)
  return out
}

await stage('import tfjs + LabelLoop training', async () => {
  await import('@tensorflow/tfjs-core')
  await import('../../core/train/loop')
})
const { selectBackend } = await import('../../core/train/backend')
const choice = await stage('wasm backend + kernel assembler', () => selectBackend({ force: 'wasm' }))
const { ProjectStore } = await import('../../core/project')
const { RunRepo } = await import('../../core/train/loop/run-repo')
const { projectSource, recommendedPreset } = await import('../../core/train/loop/project-source')
const { resolveTrainConfig } = await import('../../core/train/loop/config')
const { prepareData } = await import('../../core/train/loop/prepare')
const store = ProjectStore.open(project)
const config = resolveTrainConfig({ epochs: 1, workers }, recommendedPreset(store).preset)
const data = await stage('read + decode labeled images', () => prepareData(projectSource(store), config))
const { ReplicaPool } = await import('../../core/train/parallel/replica-pool')
const spec = { inChannels: data.channels, numClasses: data.classes.length, depth: config.model.depth as 3 | 4 | 5, baseFilters: config.model.baseFilters, dropout: config.model.dropout, batchNorm: config.model.batchNorm, batchNormMomentum: 0.9, auxBoundaryHead: config.loss.boundaryHead }
if (workers > 1) {
  const pool = await stage(`start ${workers - 1} replica thread(s)`, () => ReplicaPool.start({ workers, backend: 'wasm', spec, config, numClasses: data.classes.length, classWeights: data.classWeights }))
  await pool.close()
}

// The whole job as the trainer runs it, in a fresh run of this project; with --prewarm, the replica
// threads are started when the job starts (prewarmReplicas), as the trainer would with that change.
if (args.includes('--prewarm') && workers > 1) {
  const { prewarmReplicas } = await import('../../core/train/parallel/replica-pool')
  prewarmReplicas(workers - 1, 'wasm')
}
const runs = new RunRepo(store)
const runId = runs.create(config)
const { trainJob } = await import('../../core/train/loop/jobs')
const controller = new AbortController()
const t0 = performance.now()
const messages: string[] = []
await trainJob(store, {
  runId, resume: false, backend: { name: choice.name, device: choice.device }, signal: controller.signal,
  onProgress: (p) => {
    if (p.message && !messages.includes(p.message)) messages.push(`${((performance.now() - t0) / 1000).toFixed(1)} s ${p.phase}: ${p.message}`)
    if (p.phase === 'training' && figures['trainer job: first batch'] === undefined) {
      figures['trainer job: first batch'] = Number(((performance.now() - t0) / 1000).toFixed(2))
      controller.abort()
    }
  },
}).catch(() => undefined)
console.log(`${'trainer job: first batch'.padEnd(34)} ${figures['trainer job: first batch']?.toFixed(2)} s`)
const { assemblyStats } = await import('../../core/train/kernels/generated/runtime')
const assembled = assemblyStats()
figures['kernel assembly (this thread)'] = Number(assembled.seconds.toFixed(2))
console.log(`${'  of which kernel assembly'.padEnd(34)} ${assembled.seconds.toFixed(2)} s (${assembled.modules} modules, this thread)`)
for (const m of messages) console.log(`  ${m}`)
runs.delete(runId)
store.close()
console.log(JSON.stringify({ project, workers, backend: choice.device, figures }))
process.exit(0)
