import { describe, expect, it } from 'vitest'
import { defaultClasses, hasErrors, newClassRow, validateDraft, type ClassRow } from './new-project'

const draft = (classes: ClassRow[], name = 'Tiles', path = '/p/tiles.labelloop') => ({ name, path, classes })

describe('new project form', () => {
  it('starts with a neutral grey background and a saturated object colour, as `labelloop new --classes` does', () => {
    expect(defaultClasses().map((r) => [r.name, r.color])).toEqual([['background', '#8d8d8d'], ['object', '#e6194b']])
  })

  it('accepts the defaults once named and placed', () => {
    const e = validateDraft(draft(defaultClasses()))
    expect(hasErrors(e)).toBe(false)
  })

  it('names each problem', () => {
    const rows = defaultClasses()
    rows.push({ ...newClassRow(rows), name: ' Background ' })
    rows.push({ ...newClassRow(rows), name: '' })
    rows.push({ ...newClassRow(rows), name: 'road', color: 'red' })
    const e = validateDraft(draft(rows, '  ', ''))
    expect(e.name).toBe('Give the project a name.')
    expect(e.path).toBe('Choose where the project file goes.')
    expect(e.rows[rows[2].key]).toBe('"Background" is already a class.')
    expect(e.rows[rows[3].key]).toBe('Name this class.')
    expect(e.rows[rows[4].key]).toBe('Pick a colour.')
    expect(e.rows[rows[0].key]).toBeUndefined()
  })

  it('needs at least one class and at most 254', () => {
    expect(validateDraft(draft([])).classes).toBe('A project needs at least one class.')
    const many: ClassRow[] = []
    for (let i = 0; i < 255; i++) many.push({ ...newClassRow(many), name: `c${i}` })
    expect(validateDraft(draft(many)).classes).toMatch(/At most 254 classes/)
  })

  it('gives new classes colours not used yet', () => {
    const rows = defaultClasses()
    const next = newClassRow(rows)
    expect(rows.map((r) => r.color)).not.toContain(next.color)
    expect(new Set([...rows, next].map((r) => r.key)).size).toBe(3)
  })
})
