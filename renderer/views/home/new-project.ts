/**
 * The New project form's model: default classes and colours, and validation with one message per
 * field, matching what project:create accepts (so the user learns about a problem before submitting).
 */
import { HexColor, MAX_CLASSES } from '../../../core/contract'
import { CLASS_PALETTE } from '../../../core/contract/palette'

export interface ClassRow {
  /** Stable key for v-for while rows are added and removed. */
  key: number
  name: string
  color: string
}

export interface NewProjectDraft {
  name: string
  path: string
  classes: ClassRow[]
}

export interface DraftErrors {
  name?: string
  path?: string
  classes?: string
  /** Messages per class row, by row key. */
  rows: Record<number, string>
}

/** The one class palette (neutral background first), used in order for new classes. */
export const PALETTE = CLASS_PALETTE

let nextKey = 1

export function newClassRow(existing: readonly ClassRow[], name = ''): ClassRow {
  const used = new Set(existing.map((r) => r.color.toLowerCase()))
  const color = PALETTE.find((c) => !used.has(c)) ?? PALETTE[existing.length % PALETTE.length]
  return { key: nextKey++, name, color }
}

export function defaultClasses(): ClassRow[] {
  const rows: ClassRow[] = []
  rows.push(newClassRow(rows, 'background'))
  rows.push(newClassRow(rows, 'object'))
  return rows
}

export function validateDraft(d: NewProjectDraft): DraftErrors {
  const errors: DraftErrors = { rows: {} }
  const name = d.name.trim()
  if (name === '') errors.name = 'Give the project a name.'
  else if (name.length > 120) errors.name = 'Keep the name under 120 characters.'
  if (d.path.trim() === '') errors.path = 'Choose where the project file goes.'
  if (d.classes.length === 0) errors.classes = 'A project needs at least one class.'
  if (d.classes.length > MAX_CLASSES - 1) errors.classes = `At most ${MAX_CLASSES - 1} classes (index 255 means "unlabeled").`
  const seen = new Map<string, number>()
  for (const row of d.classes) {
    const n = row.name.trim()
    if (n === '') errors.rows[row.key] = 'Name this class.'
    else if (n.length > 64) errors.rows[row.key] = 'Keep class names under 64 characters.'
    else if (seen.has(n.toLowerCase())) errors.rows[row.key] = `"${n}" is already a class.`
    else if (!HexColor.safeParse(row.color).success) errors.rows[row.key] = 'Pick a colour.'
    seen.set(n.toLowerCase(), row.key)
  }
  return errors
}

export function hasErrors(e: DraftErrors): boolean {
  return e.name !== undefined || e.path !== undefined || e.classes !== undefined || Object.keys(e.rows).length > 0
}
