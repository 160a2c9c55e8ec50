/**
 * The trainer process's jobs over a project file: train (or resume) a run, predict images into a
 * pseudo-label round, and evaluate against ground-truth masks. Each reads and writes the project
 * through the given store; cancellation comes through an AbortSignal.
 */
import * as tf from '@tensorflow/tfjs-core'
import { readdir, readFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { basename, extname, join } from 'node:path'
import { AppError, UNLABELED, type EpochMetrics, type EvalResult, type PredictResult, type RunSummary, type TrainProgress } from '../../contract'
import { decodeMaskPng } from '../../imaging'
import type { ProjectStore } from '../../project'
import { ConfusionMatrix, computeScores } from '../metrics'
import { deserialiseModel } from './checkpoint'
import { modelCheckpoint } from './model-io'
import { argmaxInto, predictRows, softmaxRunner, tiling, type Prediction } from './predict'
import { imagesToPredict, projectRows, projectSource } from './project-source'
import { RoundRepo } from './round-repo'
import { RunRepo, type StoredCheckpoint } from './run-repo'
import { runTrainingLoop } from './train-loop'
import { startPredictPool } from '../parallel/predict-pool'
import { prewarmReplicas, resolveWorkers } from '../parallel/replica-pool'
import { modelInitFor } from '../ssl/init'
import { applyBiasToProbs } from '../calibrate/bias'
import { averagedRunner } from '../pseudo/tta'
import { withUnreviewedPseudoLabels } from '../pseudo/unreviewed-source'

export interface TrainJobOptions {
  runId: number
  /** Continue from the run's last checkpoint (when it has one). */
  resume: boolean
  backend: { name: string; device: string }
  signal?: AbortSignal
  onProgress?: (p: TrainProgress) => void
  onEpoch?: (m: EpochMetrics) => void
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** Trains a queued (or resumes a stopped) run and records the outcome in `runs`; completed runs become active. */
export async function trainJob(store: ProjectStore, opts: TrainJobOptions): Promise<RunSummary> {
  const runs = new RunRepo(store)
  const config = runs.config(opts.runId)
  const last = opts.resume ? runs.latestCheckpoint(opts.runId) : null
  const workers = resolveWorkers(config.workers, tf.getBackend(), config.batchSize, availableParallelism())
  // The training threads load their backend while the images are decoded and the model is built.
  const backend = tf.getBackend()
  if (workers > 1 && (backend === 'wasm' || backend === 'cpu')) prewarmReplicas(workers - 1, backend)
  // The thread count belongs to the device used, before the " — not used: …" list of the others.
  const [used, ...others] = opts.backend.device.split(' — not used: ')
  const device = workers > 1 ? [`${used}, ${workers} data-parallel threads`, ...others].join(' — not used: ') : opts.backend.device
  runs.markRunning(opts.runId, opts.backend.name, device)
  try {
    const result = await runTrainingLoop({
      runId: opts.runId,
      config,
      workers,
      onWorkers: (_, why) => runs.markRunning(opts.runId, opts.backend.name, `${opts.backend.device} (${why})`),
      source: withUnreviewedPseudoLabels(projectSource(store), store, config.pseudoUnreviewedWeight, config.seed),
      signal: opts.signal,
      resume: last ? { model: last.model, optimizer: last.optimizer, state: last.state } : null,
      init: last ? null : modelInitFor(store, config),
      onProgress: opts.onProgress,
      onEpoch: (m) => opts.onEpoch?.(m),
      onReport: (report) => runs.setReport(opts.runId, report),
      previousWinner: runs.list().find((r) => r.id !== opts.runId && r.status === 'completed' && r.report?.race)?.report?.race?.winner ?? null,
      saveCheckpoint: (c) => {
        runs.saveCheckpoint(opts.runId, c)
      },
    })
    runs.setStatus(opts.runId, result.status)
    if (result.status === 'completed' && runs.bestCheckpoint(opts.runId)) runs.setActive(opts.runId)
  } catch (err) {
    runs.setStatus(opts.runId, 'failed', reason(err))
    throw err
  }
  return runs.get(opts.runId)
}

type ImageProgress = (done: number, total: number, image: string | null) => void

async function predictStored(store: ProjectStore, checkpoint: StoredCheckpoint, imageIds: readonly { id: number; name: string }[], opts: { signal?: AbortSignal; onProgress?: ImageProgress }, each: (id: number, p: Prediction) => void): Promise<boolean> {
  const model = await deserialiseModel(checkpoint.model)
  const state = checkpoint.state
  // Other cores predict a share of every band's tiles (core/train/parallel); null on one core or a native backend.
  const pool = imageIds.length > 0 ? await startPredictPool(model, state.model) : null
  try {
    for (let i = 0; i < imageIds.length; i++) {
      if (opts.signal?.aborted) return false
      const ref = imageIds[i]
      opts.onProgress?.(i, imageIds.length, ref.name)
      // Band by band: the decoded original plus one band of tiles, never a whole-image float buffer.
      const src = await projectRows(store, ref.id, state.model.inChannels, state.normalisation)
      const p: Prediction = { width: src.width, height: src.height, mask: new Uint8Array(src.width * src.height), confidence: new Float32Array(src.width * src.height) }
      const numClasses = state.model.numClasses
      // Flip averaging where the run found it scores better on validation (state.tta).
      const flips = state.tta ?? false
      const many = pool?.tileRunner({ size: state.tileSize, channels: src.channels, tta: flips, passes: 1 })
      await predictRows(src, flips ? averagedRunner(model, state.tileSize, src.channels, true, 1) : softmaxRunner(model, state.tileSize, src.channels), { ...tiling({ tileSize: state.tileSize, numClasses }), many }, (b) => {
        // The decision biases fitted on validation and stored with the model (core/train/calibrate).
        applyBiasToProbs(b.probs, numClasses, state.calibration)
        argmaxInto(b.probs, numClasses, p.mask, p.confidence, b.y0 * src.width)
      })
      each(ref.id, p)
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
    opts.onProgress?.(imageIds.length, imageIds.length, null)
    return true
  } finally {
    await pool?.close()
    model.dispose()
  }
}

/** Predicts images with a run's best model (the active run by default) into a new round. */
export async function predictJob(store: ProjectStore, opts: { runId?: number; images: 'unlabeled' | 'all'; signal?: AbortSignal; onProgress?: ImageProgress }): Promise<PredictResult> {
  const checkpoint = modelCheckpoint(store, opts.runId)
  const rounds = new RoundRepo(store)
  const refs = imagesToPredict(store, opts.images)
  const roundId = rounds.create(checkpoint.runId, checkpoint.id, { images: opts.images, epoch: checkpoint.epoch })
  let sum = 0
  let count = 0
  try {
    const finished = await predictStored(store, checkpoint, refs, opts, (id, p) => {
      sum += rounds.add(roundId, id, p)
      count++
    })
    const status = finished ? 'done' : 'cancelled'
    rounds.finish(roundId, status)
    return { roundId, runId: checkpoint.runId, status, images: count, meanConfidence: count > 0 ? sum / count : null }
  } catch (err) {
    rounds.finish(roundId, 'failed', err instanceof Error ? err.message : String(err))
    throw err
  }
}

/**
 * Scores a run's model against ground-truth index PNGs in `masksDir` matched to project images by
 * file stem (255 ignored). INVALID_INPUT when no image has a ground-truth file; CANCELLED when aborted.
 */
export async function evalJob(store: ProjectStore, opts: { runId?: number; masksDir: string; signal?: AbortSignal; onProgress?: ImageProgress }): Promise<EvalResult> {
  const checkpoint = modelCheckpoint(store, opts.runId)
  const classes = store.classes()
  let files: string[]
  try {
    files = (await readdir(opts.masksDir)).filter((f) => extname(f).toLowerCase() === '.png')
  } catch (err) {
    throw new AppError('NOT_FOUND', `${opts.masksDir}: cannot read the ground-truth folder (${reason(err)})`, opts.masksDir)
  }
  const byStem = new Map(files.map((f) => [basename(f, extname(f)).toLowerCase(), join(opts.masksDir, f)]))
  const all = imagesToPredict(store, 'all')
  const matched = all.filter((img) => byStem.has(basename(img.name, extname(img.name)).toLowerCase()))
  if (matched.length === 0) throw new AppError('INVALID_INPUT', `${opts.masksDir}: no PNG there has the file stem of a project image`, opts.masksDir)
  const cm = new ConfusionMatrix(classes.length)
  const truth = new Map<number, Uint8Array>()
  for (const img of matched) {
    const file = byStem.get(basename(img.name, extname(img.name)).toLowerCase()) as string
    const gt = decodeMaskPng(await readFile(file), file)
    if (gt.width !== img.width || gt.height !== img.height) {
      throw new AppError('MASK_SIZE', `${file}: ground truth is ${gt.width}×${gt.height}, image ${img.name} is ${img.width}×${img.height}`, file)
    }
    const bad = gt.data.find((v) => v !== UNLABELED && v >= classes.length)
    if (bad !== undefined) throw new AppError('MASK_CLASS', `${file}: class index ${bad} is not in the project (0..${classes.length - 1}, 255 = ignore)`, file)
    truth.set(img.id, gt.data)
  }
  const finished = await predictStored(store, checkpoint, matched, opts, (id, p) => cm.add(p.mask, truth.get(id) as Uint8Array))
  if (!finished) throw new AppError('CANCELLED', 'evaluation cancelled')
  const scores = computeScores(cm)
  return {
    runId: checkpoint.runId,
    images: matched.length,
    perClass: scores.perClass.map((s) => ({ index: s.index, name: classes[s.index]?.name ?? `class ${s.index}`, iou: s.iou, f1: s.f1, precision: s.precision, recall: s.recall })),
    mIoU: scores.mIoU,
    macroF1: scores.macroF1,
    confusion: cm.toArray(),
  }
}
