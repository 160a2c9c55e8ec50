import { describe, expect, it } from 'vitest'
import { baseName, commonDir, joinPath, slugify } from './paths'

describe('host paths', () => {
  it('finds the deepest common folder of uploaded files', () => {
    expect(commonDir(['/up/b1/masks/a.png', '/up/b1/masks/b.png'])).toBe('/up/b1/masks')
    expect(commonDir(['/up/b1/masks/a.png', '/up/b1/masks/sub/b.png'])).toBe('/up/b1/masks')
    expect(commonDir(['/up/b1/x/a.png', '/up/b1/y/b.png'])).toBe('/up/b1')
    expect(commonDir(['C:\\data\\masks\\a.png', 'C:\\data\\masks\\b.png'])).toBe('C:\\data\\masks')
    expect(commonDir(['/a.png'])).toBe('/')
    expect(commonDir([])).toBe('')
  })

  it('joins with the separator the folder uses', () => {
    expect(joinPath('/home/u/LabelLoop', 'x.labelloop')).toBe('/home/u/LabelLoop/x.labelloop')
    expect(joinPath('/home/u/LabelLoop/', 'x.labelloop')).toBe('/home/u/LabelLoop/x.labelloop')
    expect(joinPath('C:\\Users\\u\\LabelLoop', 'x.labelloop')).toBe('C:\\Users\\u\\LabelLoop\\x.labelloop')
  })

  it('makes file-name-safe slugs', () => {
    expect(slugify('Aerial tiles 2')).toBe('aerial-tiles-2')
    expect(slugify('  Çélules — été ')).toBe('celules-ete')
    expect(slugify('!!!')).toBe('project')
  })

  it('takes the last path segment on either separator', () => {
    expect(baseName('/a/b/c.labelloop')).toBe('c.labelloop')
    expect(baseName('C:\\a\\d.png')).toBe('d.png')
  })
})
