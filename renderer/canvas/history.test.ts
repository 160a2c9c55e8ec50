import { describe, expect, it } from 'vitest'
import { History } from './history'

describe('History', () => {
  it('undoes and redoes in order', () => {
    const h = new History<number>()
    h.push(1)
    h.push(2)
    h.push(3)
    expect(h.undo()).toBe(3)
    expect(h.undo()).toBe(2)
    expect(h.redo()).toBe(2)
    expect(h.peek()).toBe(2)
    expect([h.undoDepth, h.redoDepth]).toEqual([2, 1])
    expect(h.redo()).toBe(3)
    expect(h.redo()).toBeUndefined()
  })

  it('keeps at least 100 steps by default and drops the oldest past the cap', () => {
    const h = new History<number>()
    for (let i = 1; i <= 150; i++) h.push(i)
    const undone: number[] = []
    for (let c = h.undo(); c !== undefined; c = h.undo()) undone.push(c)
    expect(undone.length).toBe(150)
    const capped = new History<number>({ limit: 100 })
    for (let i = 1; i <= 130; i++) capped.push(i)
    expect(capped.undoDepth).toBe(100)
    let last = 0
    for (let c = capped.undo(); c !== undefined; c = capped.undo()) last = c
    expect(last).toBe(31)
    expect(capped.canUndo).toBe(false)
  })

  it('clears the redo side when a new command is pushed', () => {
    const h = new History<string>()
    h.push('a')
    h.push('b')
    h.undo()
    expect(h.canRedo).toBe(true)
    h.push('c')
    expect(h.canRedo).toBe(false)
    expect(h.redo()).toBeUndefined()
    expect(h.undo()).toBe('c')
    expect(h.undo()).toBe('a')
  })

  it('drops the oldest commands past the memory budget but always keeps the newest', () => {
    const h = new History<number>({ maxBytes: 100 }, (n) => n)
    h.push(40)
    h.push(50)
    expect(h.heldBytes).toBe(90)
    h.push(30)
    expect(h.undoDepth).toBe(2)
    expect(h.heldBytes).toBe(80)
    h.push(500)
    expect(h.undoDepth).toBe(1)
    expect(h.heldBytes).toBe(500)
    h.undo()
    h.push(10)
    expect(h.heldBytes).toBe(10)
  })
})
