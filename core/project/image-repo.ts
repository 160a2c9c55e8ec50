/**
 * Images of a project: metadata, their bytes (original, display rendition, thumbnail) and listing with
 * the gallery's filters, sort and paging. Listing touches only metadata tables, so it stays fast at
 * 10,000 images.
 */
import type { StatementCache } from './statements'
import { AppError, type ImagePage, type ImageQuery, type ImageSummary, type LabelStatus, type MaskSource } from '../contract'
import { FRACTION_SQL, FROM_SQL, buildImageQuery } from './image-query'
import { readLinkedFile, verifyLinkedFile, type LinkedFile } from './linked-original'

/** Everything stored for a newly imported image. */
export interface NewImage {
  name: string
  relPath: string
  /** sha256 hex of the original bytes; a second image with the same hash is refused. */
  contentHash: string
  width: number
  height: number
  bands: number
  bitDepth: number
  format: string
  /** The original file's bytes; ignored (may be empty) when `linked` is given. */
  original: Buffer
  /** Keep the original where it is instead of copying it (see linked-original.ts); the hash is `contentHash`. */
  linked?: LinkedFile
  display: Buffer
  displayMime: string
  thumbnail: Buffer
  thumbnailMime: string
}

/** Decoded-bytes facts the trainer and exporters need beyond the summary. */
export interface ImageBytes {
  original: Buffer
  format: string
}

/**
 * Where an image's original can be read: its stored bytes, or the checked path of a linked original
 * (so a decoder can read windows of a file too large to hold whole).
 */
export type OriginalSource =
  | { kind: 'bytes'; name: string; format: string; bytes: Buffer }
  | { kind: 'file'; name: string; format: string; path: string; size: number }

interface LinkRow {
  path: string
  size: number
  mtime_ms: number
  content_hash: string
  name: string
  format: string
}

interface SummaryRow {
  id: number
  name: string
  rel_path: string
  width: number
  height: number
  bands: number
  bit_depth: number
  added_at: string
  fraction: number
  source: MaskSource | null
}

const SUMMARY_COLUMNS = `i.id, i.name, i.rel_path, i.width, i.height, i.bands, i.bit_depth, i.added_at, ${FRACTION_SQL} AS fraction, m.source AS source`

/** Label status of a labeled fraction: 0 unlabeled, 1 labeled, else partial. */
export function statusOf(fraction: number): LabelStatus {
  if (fraction <= 0) return 'unlabeled'
  if (fraction >= 1) return 'labeled'
  return 'partial'
}

/** Repository of images; created by ProjectStore, which owns the connection and transactions. */
export class ImageRepo {
  constructor(
    private readonly sql: StatementCache,
    private readonly classCount: () => number,
    private readonly write: <T>(fn: () => T) => T,
  ) {}

  /** Stores an image and its bytes in one transaction; returns its id. */
  insert(image: NewImage, addedAt: string = new Date().toISOString()): number {
    return this.write(() => {
      const info = this.sql.get(
          `INSERT INTO images (name, rel_path, content_hash, width, height, bands, bit_depth, format, byte_size, added_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(image.name, image.relPath, image.contentHash, image.width, image.height, image.bands, image.bitDepth,
          image.format, image.linked?.size ?? image.original.length, addedAt)
      const id = Number(info.lastInsertRowid)
      const original = image.linked ? Buffer.alloc(0) : image.original
      const shared = !image.linked && image.display.equals(image.original)
      this.sql.get('INSERT INTO image_blobs (image_id, original, display, display_mime, thumbnail, thumb_mime) VALUES (?, ?, ?, ?, ?, ?)')
        .run(id, original, shared ? null : image.display, image.displayMime, image.thumbnail, image.thumbnailMime)
      if (image.linked) {
        this.sql.get('INSERT INTO image_links (image_id, path, byte_size, mtime_ms) VALUES (?, ?, ?, ?)')
          .run(id, image.linked.path, image.linked.size, image.linked.mtimeMs)
      }
      return id
    })
  }

  /** Id of the image with this content hash, if the project has one. */
  findByHash(contentHash: string): number | null {
    const row = this.sql.get('SELECT id FROM images WHERE content_hash = ?').get(contentHash) as { id: number } | undefined
    return row?.id ?? null
  }

  /** The image's summary; NOT_FOUND when the project has no such image. */
  get(id: number): ImageSummary {
    const row = this.sql.get(`SELECT ${SUMMARY_COLUMNS} ${FROM_SQL} WHERE i.id = ?`).get(id) as SummaryRow | undefined
    if (!row) throw new AppError('NOT_FOUND', `Image ${id} does not exist in this project`)
    return this.toSummaries([row])[0]
  }

  /** Whether an image with this id exists. */
  exists(id: number): boolean {
    return this.sql.get('SELECT 1 FROM images WHERE id = ?').get(id) !== undefined
  }

  /** One page of images matching the query, with the total number of matches. */
  list(query?: ImageQuery): ImagePage {
    const q = buildImageQuery(query)
    const total = (this.sql.get(`SELECT COUNT(*) AS n ${FROM_SQL} WHERE ${q.where}`).get(...q.params) as { n: number }).n
    const rows = this.sql.get(`SELECT ${SUMMARY_COLUMNS} ${FROM_SQL} WHERE ${q.where} ORDER BY ${q.orderBy} LIMIT ? OFFSET ?`)
      .all(...q.params, q.limit, q.offset) as SummaryRow[]
    return { total, items: this.toSummaries(rows) }
  }

  /**
   * Previous and next image around `id` in the query's order. The image itself is placed by its sort key
   * even when it no longer matches the filters (say, it was just labeled in an "unlabeled" view).
   */
  neighbors(id: number, query?: ImageQuery): { prev: number | null; next: number | null } {
    if (!this.exists(id)) throw new AppError('NOT_FOUND', `Image ${id} does not exist in this project`)
    const q = buildImageQuery(query)
    const row = this.sql.get(
        `SELECT prev, next FROM (
           SELECT i.id AS id, LAG(i.id) OVER w AS prev, LEAD(i.id) OVER w AS next
           ${FROM_SQL} WHERE (${q.where}) OR i.id = ? WINDOW w AS (ORDER BY ${q.orderBy})
         ) WHERE id = ?`,
      )
      .get(...q.params, id, id) as { prev: number | null; next: number | null }
    return { prev: row.prev, next: row.next }
  }

  /** Deletes images with their bytes, masks and history in one transaction; returns how many existed. */
  delete(ids: readonly number[]): number {
    return this.write(() => {
      const stmt = this.sql.get('DELETE FROM images WHERE id = ?')
      let deleted = 0
      for (const id of new Set(ids)) deleted += stmt.run(id).changes
      return deleted
    })
  }

  /** Bytes of the thumbnail or display rendition; NOT_FOUND for an unknown id. */
  rendition(id: number, kind: 'thumb' | 'display'): { bytes: Buffer; mime: string } {
    const sql = kind === 'thumb'
      ? 'SELECT thumbnail AS bytes, thumb_mime AS mime FROM image_blobs WHERE image_id = ?'
      : 'SELECT COALESCE(display, original) AS bytes, display_mime AS mime FROM image_blobs WHERE image_id = ?'
    const row = this.sql.get(sql).get(id) as { bytes: Buffer; mime: string } | undefined
    if (!row) throw new AppError('NOT_FOUND', `Image ${id} does not exist in this project`)
    return row
  }

  /**
   * Replaces an image's display rendition and thumbnail (a new band choice for multiband imagery); the
   * original bytes stay untouched. NOT_FOUND for an unknown id.
   */
  replaceRenditions(id: number, r: { display: Buffer; displayMime: string; thumbnail: Buffer; thumbnailMime: string }): void {
    this.write(() => {
      const info = this.sql.get('UPDATE image_blobs SET display = ?, display_mime = ?, thumbnail = ?, thumb_mime = ? WHERE image_id = ?')
        .run(r.display, r.displayMime, r.thumbnail, r.thumbnailMime, id)
      if (info.changes === 0) throw new AppError('NOT_FOUND', `Image ${id} does not exist in this project`)
    })
  }

  /**
   * The original file bytes as imported (full bit depth and bands), for training and export. A linked
   * original is read from its file after the checks of linked-original.ts (NOT_FOUND when missing, IO
   * when changed, both naming the file).
   */
  original(id: number): ImageBytes {
    const link = this.linkRow(id)
    if (link) return { original: readLinkedFile(toLinked(link), link.content_hash, link.name), format: link.format }
    const row = this.sql.get('SELECT b.original AS original, i.format AS format FROM image_blobs b JOIN images i ON i.id = b.image_id WHERE b.image_id = ?')
      .get(id) as ImageBytes | undefined
    if (!row) throw new AppError('NOT_FOUND', `Image ${id} does not exist in this project`)
    return row
  }

  /**
   * Where to read the original of `id`: a linked original's checked path (same errors as
   * {@link original}), else the stored bytes. Decoders that read windows use this for large files.
   */
  originalSource(id: number): OriginalSource {
    const link = this.linkRow(id)
    if (link) {
      const path = verifyLinkedFile(toLinked(link), link.content_hash, link.name)
      return { kind: 'file', name: link.name, format: link.format, path, size: link.size }
    }
    const name = this.get(id).name
    const { original, format } = this.original(id)
    return { kind: 'bytes', name, format, bytes: original }
  }

  /** The recorded file of a linked original, or null when the project holds the bytes. */
  linked(id: number): LinkedFile | null {
    const row = this.linkRow(id)
    return row ? toLinked(row) : null
  }

  private linkRow(id: number): LinkRow | undefined {
    return this.sql.get(
        `SELECT l.path, l.byte_size AS size, l.mtime_ms, i.content_hash, i.name, i.format
         FROM image_links l JOIN images i ON i.id = l.image_id WHERE l.image_id = ?`,
      )
      .get(id) as LinkRow | undefined
  }

  /** Number of images per label status. */
  counts(): { unlabeled: number; partial: number; labeled: number } {
    const row = this.sql.get(
        `SELECT COALESCE(SUM(${FRACTION_SQL} <= 0), 0) AS unlabeled, COALESCE(SUM(${FRACTION_SQL} >= 1), 0) AS labeled,
           COUNT(*) AS total ${FROM_SQL}`,
      )
      .get() as { unlabeled: number; labeled: number; total: number }
    return { unlabeled: row.unlabeled, labeled: row.labeled, partial: row.total - row.unlabeled - row.labeled }
  }

  private toSummaries(rows: SummaryRow[]): ImageSummary[] {
    if (rows.length === 0) return []
    const n = this.classCount()
    const pixels = new Map<number, number[]>(rows.map((r) => [r.id, new Array<number>(n).fill(0)]))
    const counts = this.sql.get('SELECT image_id, class_index, pixels FROM image_class_pixels WHERE image_id IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(rows.map((r) => r.id))) as { image_id: number; class_index: number; pixels: number }[]
    for (const c of counts) {
      const arr = pixels.get(c.image_id)
      if (arr && c.class_index < n) arr[c.class_index] = c.pixels
    }
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      relPath: r.rel_path,
      width: r.width,
      height: r.height,
      bands: r.bands,
      bitDepth: r.bit_depth,
      status: statusOf(r.fraction),
      labeledFraction: r.fraction,
      classPixels: pixels.get(r.id) ?? [],
      source: r.source,
      addedAt: r.added_at,
    }))
  }
}

function toLinked(row: LinkRow): LinkedFile {
  return { path: row.path, size: row.size, mtimeMs: row.mtime_ms }
}
