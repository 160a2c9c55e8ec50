/**
 * The trainer process's pretraining job: every image of the project (labeled or not) at full
 * precision, normalised per channel with statistics over all of them, SimCLR pretraining of the
 * encoder of the configured U-Net shape, and the encoder stored as the run's checkpoint. Progress is
 * reported in the training events' shape (TrainProgress), so the UI and the CLI show it the same way.
 */
import type { PretrainSummary, TrainProgress } from '../../contract'
import { AppError } from '../../contract'
import type { ProjectStore } from '../../project'
import { modelChannels, type PixelImage } from '../loop/data-source'
import type { Normalisation } from '../loop/normalisation'
import { imagesToPredict, projectPixels } from '../loop/project-source'
import { pretrainEncoder } from './pretrain'
import { PretrainRepo } from './pretrain-repo'

export interface PretrainJobOptions {
  runId: number
  backend: { name: string; device: string }
  signal?: AbortSignal
  onProgress?: (p: TrainProgress) => void
}

const MIN_STD = 1e-6

/**
 * Per-channel mean and std over every pixel of `images`, channels mapped as training maps them (alpha
 * dropped, grey repeated), without converting whole images to float.
 */
export function measureAll(images: readonly PixelImage[], channels: number): Normalisation {
  const sum = new Float64Array(channels)
  const sq = new Float64Array(channels)
  let pixels = 0
  for (const img of images) {
    const from = img.channels
    const n = img.width * img.height
    for (let c = 0; c < channels; c++) {
      const sc = c < from ? c : from === 1 ? 0 : -1
      if (sc < 0) continue
      let s = 0
      let q = 0
      for (let p = 0; p < n; p++) {
        const v = img.data[p * from + sc]
        s += v
        q += v * v
      }
      sum[c] += s
      sq[c] += q
    }
    pixels += n
  }
  if (pixels === 0) throw new AppError('INVALID_INPUT', 'core/train/ssl/pretrain-job.ts: no pixels to measure')
  const mean = Array.from(sum, (s) => s / pixels)
  const std = Array.from(sq, (q, c) => Math.max(MIN_STD, Math.sqrt(Math.max(0, q / pixels - mean[c] * mean[c]))))
  return { mean, std }
}

/** Runs pretraining run `runId` and records the outcome; returns its summary. */
export async function pretrainJob(store: ProjectStore, opts: PretrainJobOptions): Promise<PretrainSummary> {
  const repo = new PretrainRepo(store)
  const config = repo.config(opts.runId)
  const { runId } = opts
  const report = (p: Omit<TrainProgress, 'runId' | 'epochs'>): void => opts.onProgress?.({ runId, epochs: config.epochs, ...p })
  repo.markRunning(runId, opts.backend.name, opts.backend.device)
  try {
    report({ phase: 'preparing', epoch: 0, batch: 0, batches: 0, loss: null, imagesPerSecond: null, etaSeconds: null, message: 'loading every image' })
    const refs = imagesToPredict(store, 'all')
    if (refs.length === 0) throw new AppError('INVALID_INPUT', `${store.path} has no images to pretrain on: import some first`)
    const images: PixelImage[] = []
    for (const ref of refs) {
      if (opts.signal?.aborted) break
      images.push(await projectPixels(store, ref.id))
    }
    const channels = modelChannels(images)
    const m = config.model
    const result = opts.signal?.aborted
      ? { status: 'cancelled' as const, encoder: null }
      : await pretrainEncoder({
        images, normalisation: measureAll(images, channels),
        spec: { inChannels: channels, depth: m.depth as 3 | 4 | 5, baseFilters: m.baseFilters, batchNorm: m.batchNorm },
        epochs: config.epochs, batchSize: config.batchSize, tileSize: config.tileSize, temperature: config.temperature,
        lr: config.learningRate, stepsPerEpoch: config.stepsPerEpoch ?? undefined, seed: config.seed, minutes: config.minutes,
        signal: opts.signal,
        onProgress: (p) => report({ phase: 'training', epoch: p.epoch, batch: p.step, batches: p.steps, loss: p.loss, imagesPerSecond: p.imagesPerSecond, etaSeconds: p.etaSeconds }),
      })
    const encoder = result.encoder
    repo.recordProgress(runId, { losses: encoder?.losses ?? [], images: images.length, seconds: encoder?.seconds ?? 0 })
    if (result.status === 'completed' && encoder) {
      report({ phase: 'saving', epoch: encoder.epochs, batch: 0, batches: 0, loss: encoder.losses[encoder.losses.length - 1] ?? null, imagesPerSecond: null, etaSeconds: null })
      repo.saveEncoder(runId, encoder)
      repo.setStatus(runId, 'completed')
    } else {
      repo.setStatus(runId, 'cancelled')
    }
  } catch (err) {
    repo.setStatus(runId, 'failed', err instanceof Error ? err.message : String(err))
    throw err
  }
  return repo.get(runId)
}
