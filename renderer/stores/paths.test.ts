import { describe, expect, it } from 'vitest'
import { baseName, commonDir, joinPath, reasonBeside, slugify } from './paths'

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

  it('drops the file name a reason starts with when the file is shown beside it', () => {
    expect(reasonBeside('/data/tiles/a.png', 'a.png: this is a GIF image')).toBe('this is a GIF image')
    expect(reasonBeside('C:\\tiles\\b.tif', 'b.tif: the file is empty (0 bytes)')).toBe('the file is empty (0 bytes)')
    expect(reasonBeside('/data/a.png', 'Cannot read /data/a.png: EACCES')).toBe('Cannot read /data/a.png: EACCES')
  })
})
