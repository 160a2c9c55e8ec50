/**
 * Pseudo-label rounds and their per-image rows (tables `rounds`, `pseudo_labels`) as the review queue
 * sees them: listing and filtering by score, status and class, the stored maps, review decisions with
 * the mask revisions they made and replaced (so a round can be rolled back), and the unreviewed
 * pseudo-labels training may use. The label changes themselves go through the MaskRepo; the rules of
 * which decision is allowed live in core/train/pseudo/status.
 */
import { AppError, type PseudoStatus, type RoundCounts } from '../contract'
import type { ProjectStore } from './store'

/** A pseudo-label row with its image's name and size. */
export interface PseudoLabelRow {
  id: number
  roundId: number
  imageId: number
  imageName: string
  width: number
  height: number
  status: PseudoStatus
  score: number | null
  uncertainty: number | null
  rareContent: number | null
  meanConfidence: number | null
  keptFraction: number | null
  classPixels: number[]
  decidedAt: string | null
  decisionMs: number | null
  acceptedRevisionId: number | null
  previousRevisionId: number | null
}

export interface RoundRow {
  id: number
  runId: number | null
  checkpointId: number | null
  createdAt: string
  status: 'running' | 'done' | 'failed' | 'cancelled'
  params: Record<string, unknown>
  rolledBackAt: string | null
  /** Why the round failed (null unless it did, or for a round that failed before migration 10). */
  error: string | null
}

/** What a round stores per image after thresholding and scoring. */
export interface PseudoReview {
  mask: Buffer
  score: number
  uncertainty: number
  rareContent: number
  keptFraction: number
  classPixels: readonly number[]
}

export interface PseudoLabelQuery {
  roundId?: number
  status?: readonly PseudoStatus[]
  classIndex?: number
  sort: 'score' | 'confidence' | 'name'
  offset: number
  limit: number
}

const SELECT = `SELECT p.id, p.round_id AS roundId, p.image_id AS imageId, i.name AS imageName, i.width, i.height, p.status,
  p.score, p.uncertainty, p.rare_content AS rareContent, p.mean_confidence AS meanConfidence, p.kept_fraction AS keptFraction,
  p.class_pixels AS classPixels, p.decided_at AS decidedAt, p.decision_ms AS decisionMs,
  p.accepted_revision_id AS acceptedRevisionId, p.previous_revision_id AS previousRevisionId
  FROM pseudo_labels p JOIN images i ON i.id = p.image_id`

type RawRow = Omit<PseudoLabelRow, 'classPixels'> & { classPixels: string }
const toRow = (r: RawRow): PseudoLabelRow => ({ ...r, classPixels: JSON.parse(r.classPixels) as number[] })

const ORDER: Record<PseudoLabelQuery['sort'], string> = {
  score: 'p.score IS NULL, p.score DESC, p.id',
  confidence: 'p.mean_confidence IS NULL, p.mean_confidence DESC, p.id',
  name: 'i.name COLLATE NOCASE, p.id',
}

export class PseudoLabelRepo {
  constructor(private readonly store: ProjectStore) {}

  private get db(): ProjectStore['db'] {
    return this.store.db
  }

  /** Every round, newest first. */
  rounds(): RoundRow[] {
    const rows = this.db
      .prepare(`SELECT id, run_id AS runId, checkpoint_id AS checkpointId, created_at AS createdAt, status, params, rolled_back_at AS rolledBackAt, error
                FROM rounds ORDER BY id DESC`)
      .all() as (Omit<RoundRow, 'params'> & { params: string })[]
    return rows.map((r) => ({ ...r, params: JSON.parse(r.params) as Record<string, unknown> }))
  }

  round(id: number): RoundRow {
    const row = this.rounds().find((r) => r.id === id)
    if (!row) throw new AppError('NOT_FOUND', `round ${id} does not exist in ${this.store.path}`)
    return row
  }

  /** Review counts of a round. */
  counts(roundId: number): RoundCounts {
    const rows = this.db.prepare('SELECT status, COUNT(*) AS n FROM pseudo_labels WHERE round_id = ? GROUP BY status').all(roundId) as { status: PseudoStatus; n: number }[]
    const counts: RoundCounts = { total: 0, pending: 0, accepted: 0, rejected: 0, edited: 0 }
    for (const r of rows) {
      counts[r.status] = r.n
      counts.total += r.n
    }
    return counts
  }

  /** A filtered, sorted page of pseudo-labels. */
  list(q: PseudoLabelQuery): { total: number; items: PseudoLabelRow[] } {
    const where: string[] = []
    const args: (number | string)[] = []
    if (q.roundId !== undefined) {
      where.push('p.round_id = ?')
      args.push(q.roundId)
    }
    if (q.status && q.status.length > 0) {
      where.push(`p.status IN (${q.status.map(() => '?').join(', ')})`)
      args.push(...q.status)
    }
    if (q.classIndex !== undefined) {
      where.push(`COALESCE(json_extract(p.class_pixels, '$[${q.classIndex}]'), 0) > 0`)
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM pseudo_labels p ${clause}`).get(...args) as { n: number }).n
    const items = (this.db.prepare(`${SELECT} ${clause} ORDER BY ${ORDER[q.sort]} LIMIT ? OFFSET ?`).all(...args, q.limit, q.offset) as RawRow[]).map(toRow)
    return { total, items }
  }

  get(id: number): PseudoLabelRow {
    const row = this.db.prepare(`${SELECT} WHERE p.id = ?`).get(id) as RawRow | undefined
    if (!row) throw new AppError('NOT_FOUND', `pseudo-label ${id} does not exist in ${this.store.path}`)
    return toRow(row)
  }

  /** Every pseudo-label of a round. */
  ofRound(roundId: number): PseudoLabelRow[] {
    return (this.db.prepare(`${SELECT} WHERE p.round_id = ? ORDER BY p.id`).all(roundId) as RawRow[]).map(toRow)
  }

  /** The stored pseudo mask and confidence map. */
  maps(id: number): { mask: Buffer; confidence: Buffer | null } {
    const row = this.db.prepare('SELECT mask_png AS mask, confidence_png AS confidence FROM pseudo_labels WHERE id = ?').get(id) as
      | { mask: Buffer; confidence: Buffer | null }
      | undefined
    if (!row) throw new AppError('NOT_FOUND', `pseudo-label ${id} does not exist in ${this.store.path}`)
    return row
  }

  /** Records a review decision (or its undoing) and the revisions it made and replaced. */
  decide(id: number, status: PseudoStatus, d: { at: string | null; ms: number | null; acceptedRevisionId: number | null; previousRevisionId: number | null }): void {
    this.store.write(() => {
      this.db
        .prepare('UPDATE pseudo_labels SET status = ?, decided_at = ?, decision_ms = ?, accepted_revision_id = ?, previous_revision_id = ? WHERE id = ?')
        .run(status, d.at, d.ms, d.acceptedRevisionId, d.previousRevisionId, id)
    })
  }

  /** Stores the thresholded mask and review score of one image of a round. */
  setReview(id: number, r: PseudoReview): void {
    this.store.write(() => {
      this.db
        .prepare('UPDATE pseudo_labels SET mask_png = ?, score = ?, uncertainty = ?, rare_content = ?, kept_fraction = ?, class_pixels = ? WHERE id = ?')
        .run(r.mask, r.score, r.uncertainty, r.rareContent, r.keptFraction, JSON.stringify(r.classPixels), id)
    })
  }

  /** Merges fields into a round's params (thresholds, options). */
  updateParams(roundId: number, extra: Record<string, unknown>): void {
    const params = { ...this.round(roundId).params, ...extra }
    this.store.write(() => {
      this.db.prepare('UPDATE rounds SET params = ? WHERE id = ?').run(JSON.stringify(params), roundId)
    })
  }

  markRolledBack(roundId: number, at: string): void {
    this.store.write(() => {
      this.db.prepare('UPDATE rounds SET rolled_back_at = ? WHERE id = ?').run(at, roundId)
    })
  }

  /**
   * The unreviewed pseudo-labels training may use: pending ones of finished, not rolled-back rounds on
   * images with no labeled pixel, the newest round's per image.
   */
  unreviewed(): { id: number; imageId: number; imageName: string; width: number; height: number }[] {
    return this.db
      .prepare(`SELECT p.id, p.image_id AS imageId, i.name AS imageName, i.width, i.height
                FROM pseudo_labels p JOIN rounds r ON r.id = p.round_id JOIN images i ON i.id = p.image_id
                LEFT JOIN masks m ON m.image_id = p.image_id
                WHERE p.status = 'pending' AND r.status = 'done' AND r.rolled_back_at IS NULL AND p.score IS NOT NULL
                  AND (m.image_id IS NULL OR m.labeled_fraction <= 0)
                  AND p.round_id = (SELECT MAX(p2.round_id) FROM pseudo_labels p2 JOIN rounds r2 ON r2.id = p2.round_id
                                    WHERE p2.image_id = p.image_id AND r2.status = 'done' AND r2.rolled_back_at IS NULL AND p2.status = 'pending')
                ORDER BY p.image_id`)
      .all() as { id: number; imageId: number; imageName: string; width: number; height: number }[]
  }

  /** Per-class pixels of a mask revision (its stored counts). */
  revisionClassPixels(revisionId: number): number[] {
    const row = this.db.prepare('SELECT class_pixels FROM mask_revisions WHERE id = ?').get(revisionId) as { class_pixels: string } | undefined
    return row ? (JSON.parse(row.class_pixels) as number[]) : []
  }

  /** Labeled pixels per class over every image's current mask (human and accepted pseudo-labels). */
  currentClassPixels(classCount: number): number[] {
    const out = new Array<number>(classCount).fill(0)
    const rows = this.db.prepare('SELECT class_index, SUM(pixels) AS n FROM image_class_pixels GROUP BY class_index').all() as { class_index: number; n: number }[]
    for (const r of rows) if (r.class_index < classCount) out[r.class_index] = r.n
    return out
  }

  /** The image's current mask revision id, or null. */
  currentRevision(imageId: number): number | null {
    const row = this.db.prepare('SELECT revision_id FROM masks WHERE image_id = ?').get(imageId) as { revision_id: number } | undefined
    return row ? row.revision_id : null
  }
}
