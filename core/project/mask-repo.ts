/**
 * Masks of a project: the current label of each image and its append-only history. A save or a restore
 * appends a revision and points the image's current mask at it; no revision is ever changed or dropped
 * while its image exists (triggers in the schema enforce it). Per-class pixel counts of the current mask
 * are kept in image_class_pixels for filters and class-balance statistics.
 */
import type { StatementCache } from './statements'
import { AppError, type MaskRevision, type MaskSource } from '../contract'

/** A mask as the store receives it: the caller decoded and validated it and counted its pixels. */
export interface NewMaskRevision {
  /** 8-bit indexed PNG of class indices, 255 = unlabeled. */
  png: Buffer
  source: MaskSource
  /** Share of labeled (not 255) pixels, 0..1; exactly 1 when every pixel has a class. */
  labeledFraction: number
  /** Labeled pixels per class index. */
  classPixels: readonly number[]
}

/** The current mask of an image. */
export interface CurrentMask {
  revisionId: number
  png: Buffer
  source: MaskSource
  labeledFraction: number
}

interface RevisionRow {
  id: number
  image_id: number
  png: Buffer
  source: MaskSource
  created_at: string
  labeled_fraction: number
  class_pixels: string
}

/** Repository of masks; created by ProjectStore, which owns the connection and transactions. */
export class MaskRepo {
  constructor(
    private readonly sql: StatementCache,
    private readonly write: <T>(fn: () => T) => T,
  ) {}

  /** The image's current mask, or null when it has none (all pixels unlabeled). */
  current(imageId: number): CurrentMask | null {
    const row = this.sql.get(
        `SELECT r.id AS revisionId, r.png AS png, r.source AS source, r.labeled_fraction AS labeledFraction
         FROM masks m JOIN mask_revisions r ON r.id = m.revision_id WHERE m.image_id = ?`,
      )
      .get(imageId) as CurrentMask | undefined
    return row ?? null
  }

  /** Appends a revision, makes it current and updates the per-class counts, in one transaction. */
  save(imageId: number, mask: NewMaskRevision, at: string = new Date().toISOString()): number {
    return this.write(() => {
      this.assertImage(imageId)
      const info = this.sql.get(
          `INSERT INTO mask_revisions (image_id, png, source, created_at, labeled_fraction, class_pixels)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(imageId, mask.png, mask.source, at, mask.labeledFraction, JSON.stringify(mask.classPixels))
      const revisionId = Number(info.lastInsertRowid)
      this.makeCurrent(imageId, revisionId, mask.source, mask.labeledFraction, mask.classPixels, at)
      return revisionId
    })
  }

  /** The image's revisions, newest first, flagging the current one. */
  revisions(imageId: number): MaskRevision[] {
    this.assertImage(imageId)
    const current = this.sql.get('SELECT revision_id FROM masks WHERE image_id = ?').get(imageId) as
      | { revision_id: number }
      | undefined
    const rows = this.sql.get(
        `SELECT id, image_id, source, created_at, labeled_fraction FROM mask_revisions
         WHERE image_id = ? ORDER BY id DESC`,
      )
      .all(imageId) as Omit<RevisionRow, 'png' | 'class_pixels'>[]
    return rows.map((r) => ({
      id: r.id,
      imageId: r.image_id,
      source: r.source,
      createdAt: r.created_at,
      labeledFraction: r.labeled_fraction,
      current: r.id === current?.revision_id,
    }))
  }

  /** PNG bytes of one revision of the image; NOT_FOUND when it is not one of that image's revisions. */
  revisionPng(imageId: number, revisionId: number): Buffer {
    return this.revisionRow(imageId, revisionId).png
  }

  /** Makes an earlier revision current by appending a copy of it; returns the new revision's id. */
  restore(imageId: number, revisionId: number, at: string = new Date().toISOString()): number {
    return this.write(() => {
      const old = this.revisionRow(imageId, revisionId)
      const classPixels = JSON.parse(old.class_pixels) as number[]
      return this.save(imageId, { png: old.png, source: old.source, labeledFraction: old.labeled_fraction, classPixels }, at)
    })
  }

  /** Per-class labeled pixel counts of the image's current mask (index = class). */
  classPixels(imageId: number, classCount: number): number[] {
    const out = new Array<number>(classCount).fill(0)
    const rows = this.sql.get('SELECT class_index, pixels FROM image_class_pixels WHERE image_id = ?').all(imageId) as {
      class_index: number
      pixels: number
    }[]
    for (const r of rows) if (r.class_index < classCount) out[r.class_index] = r.pixels
    return out
  }

  private makeCurrent(
    imageId: number,
    revisionId: number,
    source: MaskSource,
    fraction: number,
    classPixels: readonly number[],
    at: string,
  ): void {
    this.sql.get(
        `INSERT INTO masks (image_id, revision_id, labeled_fraction, source, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (image_id) DO UPDATE SET revision_id = excluded.revision_id,
           labeled_fraction = excluded.labeled_fraction, source = excluded.source, updated_at = excluded.updated_at`,
      )
      .run(imageId, revisionId, fraction, source, at)
    this.sql.get('DELETE FROM image_class_pixels WHERE image_id = ?').run(imageId)
    const insert = this.sql.get('INSERT INTO image_class_pixels (image_id, class_index, pixels, source) VALUES (?, ?, ?, ?)')
    classPixels.forEach((pixels, index) => {
      if (pixels > 0) insert.run(imageId, index, pixels, source)
    })
  }

  private revisionRow(imageId: number, revisionId: number): RevisionRow {
    const row = this.sql.get('SELECT * FROM mask_revisions WHERE id = ? AND image_id = ?')
      .get(revisionId, imageId) as RevisionRow | undefined
    if (!row) throw new AppError('NOT_FOUND', `Mask revision ${revisionId} of image ${imageId} does not exist`)
    return row
  }

  private assertImage(imageId: number): void {
    if (this.sql.get('SELECT 1 FROM images WHERE id = ?').get(imageId) === undefined) {
      throw new AppError('NOT_FOUND', `Image ${imageId} does not exist in this project`)
    }
  }
}
