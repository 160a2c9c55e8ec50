/**
 * A pseudo-labelling round in the trainer process. Pass 1 predicts every unlabeled image with flip TTA
 * and optional MC dropout, stores its arg-max mask and confidence map (RoundRepo), measures its
 * rarity-weighted uncertainty and predicted class content, and adds its confidences to the per-class
 * histograms. Pass 2, once the whole round is known, derives the class-balanced thresholds, rewrites
 * each stored mask with only the kept pixels, and stores the review score. The thresholds are raised by
 * the model's validation precision per class (precisionScaled, on by default): a teacher that over-paints
 * a class on validation must be surer of it here. A cancelled round keeps and thresholds what it predicted.
 */
import { applyBiasToProbs } from '../calibrate/bias'
import { decode } from 'fast-png'
import type { EpochMetrics, PredictResult, RoundParams } from '../../contract'
import { decodeMaskPng, encodeMaskPng } from '../../imaging'
import { PseudoLabelRepo, type ProjectStore } from '../../project'
import { deserialiseModel } from '../loop/checkpoint'
import { modelCheckpoint } from '../loop/model-io'
import { imagesToPredict, projectRows } from '../loop/project-source'
import { RoundRepo } from '../loop/round-repo'
import { startPredictPool } from '../parallel/predict-pool'
import { applyThresholds, classThresholdLevels, ConfidenceHistogram, confidenceLevel, levelsToConfidence, precisionScaledLevels } from './thresholds'
import { countClasses, rareContent, rarityWeights, reviewScore, summarisePixels, weightedUncertainty } from './scoring'
import { predictProbabilityRows } from './tta'

export interface RoundJobOptions {
  runId?: number
  params: RoundParams
  signal?: AbortSignal
  onProgress?: (done: number, total: number, image: string | null) => void
}

interface Measured {
  imageId: number
  uncertainty: number
  predicted: number[]
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** Decodes a stored 8-bit grey confidence PNG to its levels. */
export function decodeConfidenceLevels(png: Uint8Array): Uint8Array {
  const img = decode(png)
  return img.data instanceof Uint8Array ? img.data : Uint8Array.from(img.data)
}

/**
 * Per class the validation precision of the checkpoint's epoch (null where the class had no prediction
 * and no support there, or the epoch is unknown).
 */
export function validationPrecision(epochs: readonly EpochMetrics[], epoch: number, numClasses: number): (number | null)[] {
  const m = epochs.find((e) => e.epoch === epoch)
  return Array.from({ length: numClasses }, (_, c) => {
    const pc = m?.perClass.find((x) => x.index === c)
    return pc && (pc.support > 0 || pc.precision > 0) ? pc.precision : null
  })
}

/** Thresholds every stored prediction of the round and stores masks, scores and the thresholds. */
function thresholdRound(store: ProjectStore, roundId: number, measured: readonly Measured[], hist: ConfidenceHistogram, params: RoundParams, rarity: readonly number[], precision: (number | null)[] | null): void {
  const repo = new PseudoLabelRepo(store)
  const balanced = classThresholdLevels(hist, params.topFraction, params.floor)
  const levels = precision ? precisionScaledLevels(balanced, precision) : balanced
  const byImage = new Map(measured.map((m) => [m.imageId, m]))
  for (const row of repo.ofRound(roundId)) {
    const m = byImage.get(row.imageId)
    if (!m) continue
    const maps = repo.maps(row.id)
    const mask = decodeMaskPng(maps.mask, `pseudo-label of ${row.imageName}`)
    const conf = maps.confidence ? decodeConfidenceLevels(maps.confidence) : new Uint8Array(mask.data.length).fill(255)
    const kept = applyThresholds(mask.data, conf, levels)
    const classPixels = countClasses(kept, hist.numClasses)
    const keptPixels = classPixels.reduce((a, b) => a + b, 0)
    const rare = rareContent(m.predicted, rarity)
    repo.setReview(row.id, {
      mask: encodeMaskPng(kept, mask.width, mask.height),
      score: reviewScore(m.uncertainty, rare),
      uncertainty: m.uncertainty,
      rareContent: rare,
      keptFraction: kept.length > 0 ? keptPixels / kept.length : 0,
      classPixels,
    })
  }
  repo.updateParams(roundId, { thresholds: levelsToConfidence(levels), balancedThresholds: levelsToConfidence(balanced), precision, rarity })
}

/** Runs a round with a run's best model (the active run by default) over the unlabeled images. */
export async function roundJob(store: ProjectStore, opts: RoundJobOptions): Promise<PredictResult> {
  const checkpoint = modelCheckpoint(store, opts.runId)
  const state = checkpoint.state
  const numClasses = state.model.numClasses
  const rounds = new RoundRepo(store)
  const refs = imagesToPredict(store, 'unlabeled')
  const rarity = rarityWeights(new PseudoLabelRepo(store).currentClassPixels(numClasses))
  const roundId = rounds.create(checkpoint.runId, checkpoint.id, { images: 'unlabeled', epoch: checkpoint.epoch, round: opts.params })
  const hist = new ConfidenceHistogram(numClasses)
  const measured: Measured[] = []
  let sum = 0
  const model = await deserialiseModel(checkpoint.model)
  // Other cores predict a share of every band's tiles (core/train/parallel); null on one core or a native backend.
  const pool = refs.length > 0 ? await startPredictPool(model, state.model) : null
  try {
    let finished = true
    for (let i = 0; i < refs.length; i++) {
      if (opts.signal?.aborted) {
        finished = false
        break
      }
      const ref = refs[i]
      opts.onProgress?.(i, refs.length, ref.name)
      // Band by band (core/train/loop/predict): per-pixel summaries, never a whole-image probability buffer.
      const src = await projectRows(store, ref.id, state.model.inChannels, state.normalisation)
      const n = src.width * src.height
      const s = { mask: new Uint8Array(n), confidence: new Float32Array(n), entropy: new Float32Array(n) }
      await predictProbabilityRows(model, src, { tileSize: state.tileSize, numClasses, tta: opts.params.tta || (state.tta ?? false), mcDropout: opts.params.mcDropout }, (b) => {
        applyBiasToProbs(b.probs, numClasses, state.calibration)
        const part = summarisePixels(b.probs, numClasses)
        const at = b.y0 * src.width
        s.mask.set(part.mask, at)
        s.confidence.set(part.confidence, at)
        s.entropy.set(part.entropy, at)
      }, pool)
      sum += rounds.add(roundId, ref.id, { width: src.width, height: src.height, mask: s.mask, confidence: s.confidence })
      hist.add(s.mask, Uint8Array.from(s.confidence, confidenceLevel))
      measured.push({ imageId: ref.id, uncertainty: weightedUncertainty(s.mask, s.entropy, rarity), predicted: countClasses(s.mask, numClasses) })
      await tick()
    }
    const precision = opts.params.precisionScaled ? validationPrecision(state.epochs, checkpoint.epoch, numClasses) : null
    thresholdRound(store, roundId, measured, hist, opts.params, rarity, precision)
    if (finished) opts.onProgress?.(refs.length, refs.length, null)
    const status = finished ? 'done' : 'cancelled'
    rounds.finish(roundId, status)
    return { roundId, runId: checkpoint.runId, status, images: measured.length, meanConfidence: measured.length > 0 ? sum / measured.length : null }
  } catch (err) {
    rounds.finish(roundId, 'failed')
    throw err
  } finally {
    await pool?.close()
    model.dispose()
  }
}
