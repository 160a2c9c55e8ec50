/**
 * Prediction results in the project: each prediction job is a pseudo-labelling round (table `rounds`,
 * linked to the run and checkpoint that predicted) with one `pseudo_labels` row per image holding the
 * predicted mask (indexed PNG), the confidence map (8-bit grey PNG, 255 = probability 1) and the mean
 * confidence, status 'pending'. The pseudo-label review issue accepts, rejects or edits these rows.
 */
import { encode } from 'fast-png'
import type { ProjectStore } from '../../project'
import { encodeMaskPng } from '../../imaging'
import type { Prediction } from './predict'

const now = (): string => new Date().toISOString()

/** Encodes a 0..1 confidence map as an 8-bit greyscale PNG. */
export function encodeConfidencePng(confidence: Float32Array, width: number, height: number): Buffer {
  const data = new Uint8Array(confidence.length)
  for (let i = 0; i < confidence.length; i++) data[i] = Math.round(Math.min(1, Math.max(0, confidence[i])) * 255)
  const png = encode({ width, height, data, channels: 1, depth: 8 })
  return Buffer.from(png.buffer, png.byteOffset, png.byteLength)
}

export class RoundRepo {
  constructor(private readonly store: ProjectStore) {}

  /** Opens a round for a prediction job; returns its id. */
  create(runId: number, checkpointId: number, params: Record<string, unknown>): number {
    return this.store.write(() => {
      const info = this.store.db
        .prepare(`INSERT INTO rounds (run_id, checkpoint_id, created_at, status, params) VALUES (?, ?, ?, 'running', ?)`)
        .run(runId, checkpointId, now(), JSON.stringify(params))
      return Number(info.lastInsertRowid)
    })
  }

  /** Stores one image's prediction in the round (replacing an earlier one of the same round). */
  add(roundId: number, imageId: number, prediction: Prediction): number {
    const { width, height } = prediction
    const mask = encodeMaskPng(prediction.mask, width, height)
    const conf = encodeConfidencePng(prediction.confidence, width, height)
    let sum = 0
    for (const v of prediction.confidence) sum += v
    const mean = prediction.confidence.length > 0 ? sum / prediction.confidence.length : 0
    this.store.write(() => {
      this.store.db
        .prepare(`INSERT INTO pseudo_labels (round_id, image_id, mask_png, confidence_png, mean_confidence, status, created_at)
                  VALUES (?, ?, ?, ?, ?, 'pending', ?)
                  ON CONFLICT (round_id, image_id) DO UPDATE SET mask_png = excluded.mask_png,
                    confidence_png = excluded.confidence_png, mean_confidence = excluded.mean_confidence`)
        .run(roundId, imageId, mask, conf, mean, now())
    })
    return mean
  }

  finish(roundId: number, status: 'done' | 'failed' | 'cancelled'): void {
    this.store.write(() => {
      this.store.db.prepare('UPDATE rounds SET status = ? WHERE id = ?').run(status, roundId)
    })
  }
}
