/**
 * `predictions:get`: the active model's newest stored prediction of one image, read from the
 * pseudo-label rounds that model wrote, for the editor's prediction overlay. Rounds that were rolled
 * back still hold their maps; they are the model's predictions all the same.
 */
import type { StoredPrediction } from '../../../core/contract'
import type { ProjectStore } from '../../../core/project'
import { RunRepo } from '../../../core/train/loop/run-repo'

interface Row {
  roundId: number
  runId: number
  createdAt: string
  mask: Buffer
  confidence: Buffer | null
  meanConfidence: number | null
}

/** The newest prediction of `imageId` by the active model, or null when it has none. */
export function storedPrediction(store: ProjectStore, imageId: number): StoredPrediction | null {
  const runId = new RunRepo(store).activeRunId()
  if (runId === null) return null
  const row = store.db
    .prepare(
      `SELECT p.round_id AS roundId, r.run_id AS runId, p.created_at AS createdAt, p.mask_png AS mask,
              p.confidence_png AS confidence, p.mean_confidence AS meanConfidence
       FROM pseudo_labels p JOIN rounds r ON r.id = p.round_id
       WHERE p.image_id = ? AND r.run_id = ?
       ORDER BY p.round_id DESC LIMIT 1`,
    )
    .get(imageId, runId) as Row | undefined
  if (!row) return null
  return {
    imageId,
    runId: row.runId,
    roundId: row.roundId,
    createdAt: row.createdAt,
    maskPngBase64: row.mask.toString('base64'),
    confidencePngBase64: row.confidence ? row.confidence.toString('base64') : null,
    meanConfidence: row.meanConfidence,
  }
}
