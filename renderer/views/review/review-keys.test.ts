import { describe, expect, it } from 'vitest'
import { reviewCommand } from './review-keys'

const key = (k: string, extra: Partial<{ ctrlKey: boolean; targetTag: string }> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, targetTag: 'BODY', ...extra })

describe('review keys', () => {
  it('maps A / R / E / O and the arrows', () => {
    expect(reviewCommand(key('a'), 4)).toEqual({ kind: 'accept' })
    expect(reviewCommand(key('R'), 4)).toEqual({ kind: 'reject' })
    expect(reviewCommand(key('e'), 4)).toEqual({ kind: 'edit' })
    expect(reviewCommand(key('o'), 4)).toEqual({ kind: 'overlay' })
    expect(reviewCommand(key('ArrowRight'), 4)).toEqual({ kind: 'move', delta: 1 })
    expect(reviewCommand(key('ArrowUp'), 4)).toEqual({ kind: 'move', delta: -4 })
    expect(reviewCommand(key('ArrowDown'), 0)).toEqual({ kind: 'move', delta: 1 })
  })

  it('ignores modified keys, typing in fields and other keys', () => {
    expect(reviewCommand(key('a', { ctrlKey: true }), 4)).toBeNull()
    expect(reviewCommand(key('a', { targetTag: 'INPUT' }), 4)).toBeNull()
    expect(reviewCommand(key('x'), 4)).toBeNull()
  })
})
