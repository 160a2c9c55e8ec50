/**
 * The per-image class composition behind the Balance view's table: one row per image with at least one
 * labeled pixel, sorted in SQL by a class's share of the image's labeled pixels, its pixels, or the
 * image name, so a user finds the images that hold (or lack) a rare class.
 */
import type Database from 'better-sqlite3'
import type { BalanceImageRow, Output, ParsedInput } from '../../../core/contract'

interface Row {
  imageId: number
  name: string
  area: number
  labeled: number
  cls: number
  parts: string
}

/** ORDER BY key of each sort, with a class (`cls` = its pixels in the image) and without. */
function sortKey(sort: ParsedInput<'balance:images'>['sort'], withClass: boolean): string {
  switch (sort) {
    case 'name':
      return 'i.name COLLATE NOCASE'
    case 'pixels':
      return withClass ? 'cls' : 'labeled'
    case 'share':
      return withClass ? 'CAST(cls AS REAL) / labeled' : 'CAST(labeled AS REAL) / area'
  }
}

/** A page of labeled images with their per-class pixels; ties break by image id in the same direction. */
export function listImageComposition(
  db: Database.Database,
  classCount: number,
  q: ParsedInput<'balance:images'>,
): Output<'balance:images'> {
  const dir = q.order === 'asc' ? 'ASC' : 'DESC'
  const withClass = q.classIndex !== undefined
  const rows = db
    .prepare(
      `SELECT i.id AS imageId, i.name AS name, i.width * i.height AS area, SUM(p.pixels) AS labeled,
         SUM(CASE WHEN p.class_index = @cls THEN p.pixels ELSE 0 END) AS cls,
         group_concat(p.class_index || ':' || p.pixels) AS parts
       FROM image_class_pixels p JOIN images i ON i.id = p.image_id
       GROUP BY p.image_id
       ORDER BY ${sortKey(q.sort, withClass)} ${dir}, i.id ${dir}
       LIMIT @limit OFFSET @offset`,
    )
    .all({ cls: q.classIndex ?? -1, limit: q.limit, offset: q.offset }) as Row[]
  const total = db.prepare('SELECT COUNT(DISTINCT image_id) FROM image_class_pixels').pluck().get() as number
  return { total, items: rows.map((r) => toRow(r, classCount)) }
}

function toRow(r: Row, classCount: number): BalanceImageRow {
  const classPixels = new Array<number>(classCount).fill(0)
  for (const part of r.parts.split(',')) {
    const [c, n] = part.split(':').map(Number)
    if (c < classCount) classPixels[c] = n
  }
  return { imageId: r.imageId, name: r.name, classPixels, labeledPixels: r.labeled, pixels: r.area }
}
