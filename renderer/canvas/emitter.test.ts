import { describe, expect, it } from 'vitest'
import { Emitter } from './emitter'

describe('Emitter', () => {
  it('delivers typed payloads to subscribers until they unsubscribe', () => {
    const e = new Emitter<{ zoom: { scale: number }; save: undefined }>()
    const got: number[] = []
    const off = e.on('zoom', (p) => got.push(p.scale))
    let saves = 0
    e.on('save', () => saves++)
    e.emit('zoom', { scale: 2 })
    off()
    e.emit('zoom', { scale: 3 })
    e.emit('save', undefined)
    expect(got).toEqual([2])
    expect(saves).toBe(1)
    e.clear()
    e.emit('save', undefined)
    expect(saves).toBe(1)
  })
})
