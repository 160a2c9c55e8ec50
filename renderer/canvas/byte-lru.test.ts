import { describe, expect, it } from 'vitest'
import { ByteLru } from './byte-lru'

function lru(maxBytes: number, evicted: string[]): ByteLru<number> {
  return new ByteLru<number>({ maxBytes, sizeOf: (v) => v, onEvict: (k) => evicted.push(k) })
}

describe('ByteLru', () => {
  it('evicts the least recently used entries once past the byte limit', () => {
    const evicted: string[] = []
    const c = lru(10, evicted)
    c.set('a', 4)
    c.set('b', 4)
    expect(c.get('a')).toBe(4)
    c.set('c', 4)
    expect(evicted).toEqual(['b'])
    expect(c.bytes).toBe(8)
    expect(c.has('a') && c.has('c')).toBe(true)
  })

  it('keeps an entry larger than the limit until the next one arrives', () => {
    const evicted: string[] = []
    const c = lru(10, evicted)
    c.set('a', 3)
    c.set('big', 30)
    expect(evicted).toEqual(['a'])
    expect(c.get('big')).toBe(30)
    c.set('b', 1)
    expect(evicted).toEqual(['a', 'big'])
    expect(c.size).toBe(1)
  })

  it('replacing a key frees the old value; clear frees everything', () => {
    const evicted: string[] = []
    const c = lru(100, evicted)
    c.set('a', 5)
    c.set('a', 6)
    expect(evicted).toEqual(['a'])
    expect(c.bytes).toBe(6)
    c.set('b', 1)
    c.clear()
    expect(evicted).toEqual(['a', 'a', 'b'])
    expect([c.bytes, c.size]).toEqual([0, 0])
  })
})
