/**
 * Running class-balance totals of one open project. The first read loads every image's per-class pixel
 * counts from image_class_pixels (kept by the store on every mask save) into a BalanceAccumulator; after
 * that, each changed image is swapped in at O(classes) cost: its old counts are removed and its new
 * ones added. Changed images come from two places: `project:changed` events carrying image ids (saves,
 * restores, deletions, imports) and, as a safety net for writers that do not announce themselves, the
 * mask revisions appended since the last read (revisions are append-only, so `id > last seen` finds
 * every image whose current mask may have changed with one range scan of the primary key).
 */
import type Database from 'better-sqlite3'
import { BalanceAccumulator, type ImageClassCounts } from '../../../core/balance'
import type { MaskSource } from '../../../core/contract'
import type { ProjectStore } from '../../../core/project'

interface CountRow {
  image_id: number
  class_index: number
  pixels: number
  source: MaskSource
}

/** One image's counts as the accumulator holds them (every array has the project's class count). */
interface HeldCounts extends ImageClassCounts {
  counts: number[]
}

export class ProjectBalance {
  readonly classCount: number
  readonly acc: BalanceAccumulator
  /** Counts of every image with at least one labeled pixel, exactly as added to `acc`. */
  private readonly held = new Map<number, HeldCounts>()
  /** Highest mask revision id already reflected in `acc`. */
  private revisionMark = 0
  private readonly stmt: {
    all: Database.Statement
    one: Database.Statement
    since: Database.Statement
    maxRevision: Database.Statement
    imageCount: Database.Statement
  }

  constructor(readonly store: ProjectStore) {
    this.classCount = store.classes().length
    this.acc = new BalanceAccumulator(this.classCount)
    const db = store.db
    this.stmt = {
      all: db.prepare('SELECT image_id, class_index, pixels, source FROM image_class_pixels ORDER BY image_id'),
      one: db.prepare('SELECT image_id, class_index, pixels, source FROM image_class_pixels WHERE image_id = ?'),
      since: db.prepare('SELECT DISTINCT image_id FROM mask_revisions WHERE id > ?').pluck(),
      maxRevision: db.prepare('SELECT COALESCE(MAX(id), 0) FROM mask_revisions').pluck(),
      imageCount: db.prepare('SELECT COUNT(*) FROM images').pluck(),
    }
    this.loadAll()
  }

  /** Whether these totals still describe `store` (same open connection, same number of classes). */
  describes(store: ProjectStore | null): boolean {
    return store === this.store && store.isOpen && store.classes().length === this.classCount
  }

  /** Images in the project (labeled or not). */
  imageCount(): number {
    return this.stmt.imageCount.get() as number
  }

  /** Per-class counts of each labeled image, by image id (for tests and consistency checks). */
  heldCounts(): ReadonlyMap<number, Readonly<ImageClassCounts>> {
    return this.held
  }

  /**
   * Brings the totals up to date: the images in `changed` plus those with mask revisions newer than
   * the last read. Returns how many images were re-read.
   */
  refresh(changed: Iterable<number>): number {
    const ids = new Set(changed)
    const mark = this.stmt.maxRevision.get() as number
    if (mark > this.revisionMark) {
      for (const id of this.stmt.since.all(this.revisionMark) as number[]) ids.add(id)
    }
    this.store.db.transaction(() => {
      for (const id of ids) this.reread(id)
    })()
    this.revisionMark = mark
    return ids.size
  }

  private loadAll(): void {
    this.store.db.transaction(() => {
      this.revisionMark = this.stmt.maxRevision.get() as number
      let current: HeldCounts | null = null
      let currentId = -1
      for (const row of this.stmt.all.all() as CountRow[]) {
        if (row.image_id !== currentId) {
          if (current) this.hold(currentId, current)
          currentId = row.image_id
          current = { counts: new Array<number>(this.classCount).fill(0), source: row.source }
        }
        if (current && row.class_index < this.classCount) current.counts[row.class_index] = row.pixels
      }
      if (current) this.hold(currentId, current)
    })()
  }

  private reread(imageId: number): void {
    const rows = this.stmt.one.all(imageId) as CountRow[]
    const before = this.held.get(imageId)
    if (before) {
      this.acc.remove(before)
      this.held.delete(imageId)
    }
    if (rows.length === 0) return
    const next: HeldCounts = { counts: new Array<number>(this.classCount).fill(0), source: rows[0].source }
    for (const r of rows) if (r.class_index < this.classCount) next.counts[r.class_index] = r.pixels
    this.hold(imageId, next)
  }

  private hold(imageId: number, counts: HeldCounts): void {
    if (!counts.counts.some((v) => v > 0)) return
    this.acc.add(counts)
    this.held.set(imageId, counts)
  }
}
