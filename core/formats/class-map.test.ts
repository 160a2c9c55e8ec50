import { describe, expect, it } from 'vitest'
import type { ClassDef } from '../contract'
import { mapClassesByName, paletteLut, parseLabelmapTxt, parseLabelsManifest, remapMask } from './class-map'
import { createImageMatcher } from './match'
import { maskBaseNames, safeRelativePath } from './names'

const classes: ClassDef[] = [
  { index: 0, name: 'background', color: '#000000' },
  { index: 1, name: 'water', color: '#0000ff' },
  { index: 2, name: 'Forest', color: '#00ff00' },
]

describe('class remapping by name', () => {
  it('maps a VOC labelmap onto project classes and reports the rest', () => {
    const source = parseLabelmapTxt('# label:color_rgb:parts:actions\nbackground:0,0,0::\nforest:0,128,0::\nurban:128,0,0::\n WATER :0,0,128::\n', 'labelmap.txt')
    expect(source.map((s) => [s.id, s.name])).toEqual([[0, 'background'], [1, 'forest'], [2, 'urban'], [3, 'WATER']])
    const mapping = mapClassesByName(source, classes)
    expect([...mapping.toProject]).toEqual([[0, 0], [1, 2], [3, 1]])
    expect(mapping.unmapped).toEqual([{ id: 2, name: 'urban' }])
    const { data, dropped } = remapMask(Uint8Array.from([0, 1, 2, 3, 255, 2, 7]), paletteLut(classes.length, mapping))
    expect(Array.from(data)).toEqual([0, 2, 255, 1, 255, 255, 255])
    expect([...dropped]).toEqual([[2, 2], [7, 1]])
  })

  it('without a class list, palette index = class index and indices beyond the project are dropped', () => {
    const { data, dropped } = remapMask(Uint8Array.from([0, 1, 2, 3, 255]), paletteLut(3))
    expect(Array.from(data)).toEqual([0, 1, 2, 255, 255])
    expect([...dropped]).toEqual([[3, 1]])
  })

  it('names the file of a labelmap or manifest it cannot read', () => {
    expect(() => parseLabelmapTxt('# only comments\n', 'x/labelmap.txt')).toThrow(/x\/labelmap\.txt: no classes found/)
    expect(() => parseLabelsManifest('{"format": "index"}', 'm.json')).toThrow(/m\.json: not a LabelLoop labels manifest \(classes: /)
  })
})

describe('matching label files to images', () => {
  const match = createImageMatcher([
    { id: 1, relPath: 'a/x.tif' },
    { id: 2, relPath: 'b/x.tif' },
    { id: 3, relPath: 'c\\Y.jpg' },
  ])
  it('tries relative path, path stem, file name, file stem; ambiguity matches nothing', () => {
    expect(match('a/x.tif')).toEqual({ id: 1 })
    expect(match('b/x.png')).toEqual({ id: 2 })
    expect(match('y.png')).toEqual({ id: 3 })
    expect(match('x.png')).toEqual({ ambiguous: ['a/x.tif', 'b/x.tif'] })
    expect(match('z.png')).toBeNull()
  })
})

describe('export names', () => {
  it('keeps folders, drops extensions and makes collisions unique', () => {
    const names = maskBaseNames(
      [
        { id: 4, relPath: 'A.jpg' },
        { id: 1, relPath: 'sub/a.png' },
        { id: 2, relPath: 'a.png' },
        { id: 3, relPath: 'legend.png' },
        { id: 5, relPath: 'a.jpg' },
      ],
      ['legend'],
    )
    expect([...names]).toEqual([[1, 'sub/a'], [2, 'a'], [3, 'legend_png'], [4, 'A_jpg'], [5, 'a_jpg-2']])
  })

  it('never leaves the export folder', () => {
    expect(safeRelativePath('../../etc/passwd')).toBe('etc/passwd')
    expect(safeRelativePath('C:\\data\\x?.png')).toBe('data/x_.png')
  })
})
