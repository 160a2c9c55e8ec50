import { describe, expect, it } from 'vitest'
import { MaskDocument } from './mask-document'
import { bytesEqual, seeded } from './test-helpers'

describe('MaskDocument', () => {
  it('makes one press-drag-release stroke one undo step and restores the exact bytes', () => {
    const doc = new MaskDocument(100, 80)
    const original = doc.getMask()
    doc.beginEdit()
    doc.stroke({ x: 10, y: 10 }, { x: 50, y: 10 }, 5, 1)
    doc.stroke({ x: 50, y: 10 }, { x: 50, y: 60 }, 5, 1)
    doc.endEdit()
    const painted = doc.getMask()
    expect(doc.state(2).counts[1]).toBeGreaterThan(400)
    doc.undo()
    expect(bytesEqual(doc.getMask(), original)).toBe(true)
    doc.redo()
    expect(bytesEqual(doc.getMask(), painted)).toBe(true)
  })

  it('undoes and redoes 120 distinct edits back to every intermediate state', () => {
    const doc = new MaskDocument(64, 64)
    const states = [doc.getMask()]
    const rand = seeded(9)
    for (let i = 0; i < 120; i++) {
      doc.stroke({ x: rand() * 64, y: rand() * 64 }, { x: rand() * 64, y: rand() * 64 }, 3, i % 7)
      states.push(doc.getMask())
    }
    for (let i = 119; i >= 0; i--) {
      doc.undo()
      expect(bytesEqual(doc.getMask(), states[i])).toBe(true)
    }
    expect(doc.undo()).toBeNull()
    for (let i = 1; i <= 120; i++) {
      doc.redo()
      expect(bytesEqual(doc.getMask(), states[i])).toBe(true)
    }
  })

  it('records only the touched tiles of a large mask, and nothing for an edit that changes nothing', () => {
    const doc = new MaskDocument(4096, 4096)
    doc.mask.dirty.take()
    const rect = doc.stroke({ x: 1000, y: 1000 }, { x: 1010, y: 1000 }, 4, 2)
    expect(rect).toEqual({ x: 998, y: 998, w: 14, h: 4 })
    expect(doc.mask.dirty.take()).toEqual([rect])
    const rectAgain = doc.stroke({ x: 1000, y: 1000 }, { x: 1010, y: 1000 }, 4, 2)
    expect(rectAgain).not.toBeNull()
    expect(doc.state(3).canUndo).toBe(true)
    doc.undo()
    expect(doc.state(3).counts[2]).toBe(0)
    expect(doc.state(3).canUndo).toBe(false)
  })

  it('tracks unsaved changes by version, including undo back to the saved state', () => {
    const doc = new MaskDocument(20, 20)
    expect(doc.isDirty()).toBe(false)
    doc.stroke({ x: 5, y: 5 }, { x: 5, y: 5 }, 3, 0)
    expect(doc.isDirty()).toBe(true)
    const saving = doc.version
    doc.stroke({ x: 9, y: 9 }, { x: 9, y: 9 }, 3, 1)
    doc.markSaved(saving)
    expect(doc.isDirty()).toBe(true)
    doc.undo()
    expect(doc.isDirty()).toBe(false)
    doc.undo()
    expect(doc.isDirty()).toBe(true)
    doc.redo()
    doc.markSaved()
    doc.beginEdit()
    doc.stroke({ x: 1, y: 1 }, { x: 1, y: 1 }, 1, 1)
    expect(doc.isDirty()).toBe(true)
    doc.endEdit()
    expect(doc.isDirty()).toBe(true)
  })

  it('fills unlabeled pixels and flood-fills as single undo steps with counts', () => {
    const doc = new MaskDocument(10, 10)
    doc.fillPolygon([0, 0, 5, 0, 5, 10, 0, 10], 1, 'nonzero')
    expect(doc.state(3).counts).toEqual([0, 50, 0])
    doc.fillUnlabeled(0)
    expect(doc.state(3)).toMatchObject({ counts: [50, 50, 0], unlabeled: 0, labeled: 100, total: 100 })
    doc.floodFill({ x: 2.5, y: 2.5 }, 2)
    expect(doc.state(3).counts).toEqual([50, 0, 50])
    doc.undo()
    doc.undo()
    expect(doc.state(3)).toMatchObject({ counts: [0, 50, 0], unlabeled: 50, canRedo: true })
  })

  it('loads a mask with setMask: history cleared, not dirty, whole image redrawn', () => {
    const doc = new MaskDocument(4, 4)
    doc.stroke({ x: 1, y: 1 }, { x: 1, y: 1 }, 1, 0)
    doc.mask.dirty.take()
    doc.setMask(new Uint8Array(16).fill(3))
    expect(doc.isDirty()).toBe(false)
    expect(doc.state(4).canUndo).toBe(false)
    expect(doc.state(4).counts[3]).toBe(16)
    expect(doc.mask.dirty.take()).toEqual([{ x: 0, y: 0, w: 4, h: 4 }])
  })
})
