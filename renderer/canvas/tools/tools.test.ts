import { describe, expect, it } from 'vitest'
import { MaskDocument } from '../mask-document'
import { createTools, fillAllUnlabeled, type ToolContext } from './index'

function context(doc: MaskDocument, picks: number[] = [], classIndex = 1): ToolContext {
  return { doc, classIndex, brushSize: 3, fillRule: 'nonzero', imagePixelsPerScreenPixel: 1, pick: (c) => picks.push(c) }
}

const at = (x: number, y: number, shift = false) => ({ point: { x, y }, shift })

describe('tools', () => {
  it('brush: press-drag-release paints one undoable stroke; eraser writes 255', () => {
    const doc = new MaskDocument(40, 40)
    const tools = createTools()
    const ctx = context(doc)
    tools.brush.down(ctx, at(5, 5))
    expect(tools.brush.busy).toBe(true)
    tools.brush.move(ctx, at(20, 5), true)
    tools.brush.move(ctx, at(30, 30), false)
    tools.brush.up(ctx, at(20, 20))
    expect(tools.brush.busy).toBe(false)
    expect(doc.valueAt({ x: 12, y: 5 })).toBe(1)
    expect(doc.valueAt({ x: 20, y: 12 })).toBe(1)
    expect(doc.valueAt({ x: 30, y: 30 })).toBe(255)
    const painted = doc.state(2).counts[1]
    tools.eraser.down(ctx, at(12, 5))
    tools.eraser.up(ctx, at(12, 5))
    expect(doc.valueAt({ x: 12, y: 5 })).toBe(255)
    expect(doc.state(2).counts[1]).toBe(painted - 9)
    doc.undo()
    doc.undo()
    expect(doc.state(2).counts[1]).toBe(0)
  })

  it('brush: Shift+press draws a straight line from the end of the previous stroke', () => {
    const doc = new MaskDocument(40, 40)
    const { brush } = createTools()
    const ctx = context(doc)
    brush.down(ctx, at(2, 20))
    brush.up(ctx, at(2, 20))
    brush.down(ctx, at(35, 20, true))
    brush.up(ctx, at(35, 20))
    for (let x = 2; x <= 35; x++) expect(doc.valueAt({ x, y: 20 })).toBe(1)
  })

  it('polygon: clicks add vertices, clicking the first vertex closes and fills; Backspace and Escape edit', () => {
    const doc = new MaskDocument(20, 20)
    const { polygon } = createTools()
    const ctx = context(doc, [], 2)
    for (const [x, y] of [[2, 2], [12, 2], [19, 19], [12, 12]]) polygon.down(ctx, at(x, y))
    expect(polygon.back(ctx)).toBe(true)
    polygon.down(ctx, at(12, 12))
    expect(polygon.preview(ctx, { x: 1, y: 1 })).toEqual({ kind: 'path', points: [2, 2, 12, 2, 19, 19, 12, 12, 1, 1], closed: false })
    polygon.down(ctx, at(12, 2))
    polygon.down(ctx, at(2, 12))
    polygon.down(ctx, at(2.5, 2.5))
    expect(polygon.busy).toBe(false)
    expect(doc.state(3).counts[2]).toBeGreaterThan(60)
    polygon.down(ctx, at(1, 1))
    polygon.cancel(ctx)
    polygon.commit(ctx)
    expect(doc.state(3).canUndo).toBe(true)
    doc.undo()
    expect(doc.state(3).canUndo).toBe(false)
  })

  it('polygon closes on double click; lasso fills the freehand outline on release', () => {
    const doc = new MaskDocument(30, 30)
    const { polygon, lasso } = createTools()
    const ctx = context(doc)
    polygon.down(ctx, at(0, 0))
    polygon.down(ctx, at(10, 0))
    polygon.down(ctx, at(10, 10))
    polygon.doubleClick(ctx, at(10, 10))
    expect(doc.state(2).counts[1]).toBe(55)
    lasso.down(ctx, at(20, 20))
    lasso.move(ctx, at(29, 20), true)
    lasso.move(ctx, at(29.2, 20), true)
    lasso.move(ctx, at(29, 29), true)
    expect(lasso.preview(ctx, null)).toEqual({ kind: 'path', points: [20, 20, 29, 20, 29, 29], closed: true })
    lasso.up(ctx, at(20, 29))
    expect(doc.state(2).counts[1]).toBe(55 + 81)
  })

  it('fill floods a region, picker reports the value, fill-unlabeled finishes the background', () => {
    const doc = new MaskDocument(10, 10)
    const tools = createTools()
    const picks: number[] = []
    const ctx = context(doc, picks, 3)
    doc.fillPolygon([0, 0, 10, 0, 10, 5, 0, 5], 0, 'nonzero')
    tools.fill.down(ctx, at(5, 2))
    expect(doc.state(4).counts).toEqual([0, 0, 0, 50])
    tools.picker.down(ctx, at(1, 1))
    tools.picker.down(ctx, at(1, 8))
    expect(picks).toEqual([3, 255])
    fillAllUnlabeled(context(doc, [], 1))
    expect(doc.state(4)).toMatchObject({ counts: [0, 50, 0, 50], unlabeled: 0 })
  })
})
