import { describe, expect, it } from 'vitest'
import { ClassCounts } from './class-counts'
import { MaskDocument } from './mask-document'
import { seeded } from './test-helpers'

describe('ClassCounts', () => {
  it('counts a mask and reports labeled pixels and per-class arrays', () => {
    const c = ClassCounts.fromMask(Uint8Array.from([0, 0, 1, 255, 2, 255]))
    expect(c.toArray(3)).toEqual([2, 1, 1])
    expect(c.get(255)).toBe(2)
    expect(c.labeled()).toBe(4)
  })

  it('updates from replaced bytes', () => {
    const c = ClassCounts.fromMask(Uint8Array.from([0, 1, 255]))
    c.replace(Uint8Array.from([0, 1, 255]), Uint8Array.from([1, 1, 0]))
    expect(c.toArray(2)).toEqual([1, 2])
    expect(c.get(255)).toBe(0)
  })

  it('stays equal to a full recount through random edits, undos and redos', () => {
    const rand = seeded(5)
    const w = 257
    const h = 131
    const doc = new MaskDocument(w, h)
    const pt = () => ({ x: rand() * w, y: rand() * h })
    for (let step = 0; step < 300; step++) {
      const op = rand()
      const value = rand() < 0.2 ? 255 : Math.floor(rand() * 4)
      if (op < 0.35) doc.stroke(pt(), pt(), 1 + Math.floor(rand() * 40), value)
      else if (op < 0.5) doc.fillPolygon([...Array(10)].flatMap(() => [rand() * w, rand() * h]), value, rand() < 0.5 ? 'evenodd' : 'nonzero')
      else if (op < 0.6) doc.floodFill(pt(), value)
      else if (op < 0.65) doc.fillUnlabeled(Math.floor(rand() * 4))
      else if (op < 0.85) doc.undo()
      else doc.redo()
      if (step % 25 === 0) expect(Array.from(doc.counts.counts)).toEqual(Array.from(ClassCounts.fromMask(doc.mask.data).counts))
    }
    expect(Array.from(doc.counts.counts)).toEqual(Array.from(ClassCounts.fromMask(doc.mask.data).counts))
  })
})
