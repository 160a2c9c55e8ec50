/**
 * Prediction results in the project: each prediction job is a pseudo-labelling round (table `rounds`,
 * linked to the run and checkpoint that predicted) with one `pseudo_labels` row per image holding the
 * predicted mask (indexed PNG), the confidence map (8-bit grey PNG, 255 = probability 1) and the mean
 * confidence, status 'pending'. The pseudo-label review issue accepts, rejects or edits these rows.
 * A round records the process that runs it (pid and host name, migration 10): a round left 'running' by a
 * process that was killed becomes failed with that reason when the project is next opened (failInterrupted).
 */
import { hostname } from 'node:os'
import { encode } from 'fast-png'
import type { ProjectStore } from '../../project'
import { encodeMaskPng } from '../../imaging'
import type { Prediction } from './predict'

const now = (): string => new Date().toISOString()

/** Whether a process with this pid exists (EPERM: it exists but belongs to someone else). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Encodes a 0..1 confidence map as an 8-bit greyscale PNG. */
export function encodeConfidencePng(confidence: Float32Array, width: number, height: number): Buffer {
  const data = new Uint8Array(confidence.length)
  for (let i = 0; i < confidence.length; i++) data[i] = Math.round(Math.min(1, Math.max(0, confidence[i])) * 255)
  const png = encode({ width, height, data, channels: 1, depth: 8 })
  return Buffer.from(png.buffer, png.byteOffset, png.byteLength)
}

export class RoundRepo {
  constructor(private readonly store: ProjectStore) {}

  /** Opens a round for a prediction job, owned by this process (its pid and host name); returns its id. */
  create(runId: number, checkpointId: number, params: Record<string, unknown>): number {
    return this.store.write(() => {
      const info = this.store.db
        .prepare(`INSERT INTO rounds (run_id, checkpoint_id, created_at, status, params, owner_pid, owner_host) VALUES (?, ?, ?, 'running', ?, ?, ?)`)
        .run(runId, checkpointId, now(), JSON.stringify(params), process.pid, hostname())
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

  /** Ends a round; `error` says why a failed round failed. */
  finish(roundId: number, status: 'done' | 'failed' | 'cancelled', error: string | null = null): void {
    this.store.write(() => {
      this.store.db.prepare('UPDATE rounds SET status = ?, error = ?, finished_at = ? WHERE id = ?').run(status, status === 'failed' ? error : null, now(), roundId)
    })
  }

  /**
   * Rounds still 'running' whose owner process on this machine no longer exists — LabelLoop or the
   * command line was closed or killed mid-round — become failed with that reason. Their pseudo-labels stay
   * pending and out of review. A round whose process is alive (predicting elsewhere, e.g. from the CLI) or
   * on another machine, and a round from before migration 10 (no owner), are left alone. Returns the ids changed.
   */
  failInterrupted(alive: (pid: number) => boolean = processAlive): number[] {
    return this.store.write(() => {
      const rows = this.store.db.prepare(`SELECT id, owner_pid AS pid FROM rounds WHERE status = 'running' AND owner_pid IS NOT NULL AND owner_host = ?`).all(hostname()) as { id: number; pid: number }[]
      const gone = rows.filter((r) => !alive(r.pid))
      const update = this.store.db.prepare(`UPDATE rounds SET status = 'failed', finished_at = ?, error = ? WHERE id = ?`)
      for (const r of gone) {
        update.run(now(), `interrupted: its process (pid ${r.pid}) ended before the round finished, because LabelLoop or the command line was closed or killed during the round; its predictions are not offered for review, start a new round`, r.id)
      }
      return gone.map((r) => r.id)
    })
  }
}
