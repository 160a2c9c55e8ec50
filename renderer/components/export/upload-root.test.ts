import { describe, expect, it } from 'vitest'
import { pickedFolder } from './upload-root'

describe('pickedFolder', () => {
  it('takes the file and the folders inside the picked folder off the host path', () => {
    expect(pickedFolder('/tmp/up/masks/b1/labels/sub/a.png', 'labels/sub/a.png')).toBe('/tmp/up/masks/b1/labels')
    expect(pickedFolder('/tmp/up/masks/b1/labels/a.png', 'labels/a.png')).toBe('/tmp/up/masks/b1/labels')
    expect(pickedFolder('C:\\Users\\me\\labels\\sub\\a.png', 'labels/sub/a.png')).toBe('C:\\Users\\me\\labels')
  })

  it('a file picked on its own gives its folder', () => {
    expect(pickedFolder('/data/out/a.png', 'a.png')).toBe('/data/out')
    expect(pickedFolder('/a.png', 'a.png')).toBe('/a.png')
  })
})
