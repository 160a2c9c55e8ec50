/**
 * Turns an ImageQuery (filters, sort, paging) into SQL over images LEFT JOIN masks. Label status is
 * derived from the current mask's labeled fraction: 0 (or no mask) is unlabeled, 1 is labeled, anything
 * between is partial.
 */
import { ImageQuery as ImageQuerySchema, type ImageQuery } from '../contract'

/** SQL expression of an image's labeled fraction (0 when it has no mask). */
export const FRACTION_SQL = 'COALESCE(m.labeled_fraction, 0)'
/** SQL expression of an image's label status as a rank: 0 unlabeled, 1 partial, 2 labeled. */
export const STATUS_RANK_SQL = `CASE WHEN ${FRACTION_SQL} <= 0 THEN 0 WHEN ${FRACTION_SQL} >= 1 THEN 2 ELSE 1 END`
const STATUS_RANK = { unlabeled: 0, partial: 1, labeled: 2 } as const

/** FROM clause shared by every listing query. */
export const FROM_SQL = 'FROM images i LEFT JOIN masks m ON m.image_id = i.id'

/** A parsed query as SQL pieces; `params` bind in order to the `?` in `where`. */
export interface QuerySql {
  where: string
  params: (string | number)[]
  orderBy: string
  limit: number
  offset: number
}

/** Name of the deterministic SQL function the store registers for case-insensitive Unicode search. */
export const CASEFOLD_FN = 'll_casefold'

/** Builds the WHERE and ORDER BY of a listing; fills the schema defaults for sort, order and paging. */
export function buildImageQuery(query: ImageQuery | undefined): QuerySql {
  const q = ImageQuerySchema.parse(query ?? {})
  const clauses: string[] = []
  const params: (string | number)[] = []
  if (q.status !== undefined) {
    const ranks = [...new Set(q.status)].map((s) => STATUS_RANK[s])
    clauses.push(ranks.length === 0 ? '0' : `${STATUS_RANK_SQL} IN (${ranks.join(', ')})`)
  }
  if (q.search !== undefined && q.search.trim() !== '') {
    clauses.push(`instr(${CASEFOLD_FN}(i.name), ?) > 0`)
    params.push(q.search.trim().toLowerCase())
  }
  if (q.containsClass !== undefined) {
    clauses.push('EXISTS (SELECT 1 FROM image_class_pixels p WHERE p.class_index = ? AND p.image_id = i.id)')
    params.push(q.containsClass)
  }
  if (q.missingClass !== undefined) {
    clauses.push('NOT EXISTS (SELECT 1 FROM image_class_pixels p WHERE p.class_index = ? AND p.image_id = i.id)')
    params.push(q.missingClass)
  }
  if (q.source !== undefined) {
    const sources = [...new Set(q.source)]
    clauses.push(sources.length === 0 ? '0' : `m.source IN (${sources.map(() => '?').join(', ')})`)
    params.push(...sources)
  }
  const dir = q.order === 'desc' ? 'DESC' : 'ASC'
  const key = {
    name: `i.name COLLATE NOCASE ${dir}, i.name ${dir}`,
    added: `i.added_at ${dir}`,
    status: `${STATUS_RANK_SQL} ${dir}`,
    labeled: `${FRACTION_SQL} ${dir}`,
  }[q.sort]
  return {
    where: clauses.length === 0 ? '1' : clauses.join(' AND '),
    params,
    orderBy: `${key}, i.id ${dir}`,
    limit: q.limit,
    offset: q.offset,
  }
}
