import { describe, expect, it } from 'vitest'
import { floodFill } from './flood-fill'
import { seeded } from './test-helpers'

/** Builds a mask from rows of digits ('.' = 255). */
function grid(rows: string[]): { data: Uint8Array; w: number; h: number } {
  const w = rows[0].length
  const h = rows.length
  const data = new Uint8Array(w * h)
  rows.forEach((r, y) => [...r].forEach((c, x) => (data[y * w + x] = c === '.' ? 255 : Number(c))))
  return { data, w, h }
}

function show(data: Uint8Array, w: number): string[] {
  const rows: string[] = []
  for (let y = 0; y < data.length / w; y++) rows.push([...data.subarray(y * w, (y + 1) * w)].map((v) => (v === 255 ? '.' : String(v))).join(''))
  return rows
}

/** Reference fill: breadth-first search, one pixel at a time. */
function naiveFill(data: Uint8Array, w: number, h: number, x: number, y: number, value: number): void {
  const target = data[y * w + x]
  if (target === value) return
  const queue = [[x, y]]
  data[y * w + x] = value
  while (queue.length > 0) {
    const [cx, cy] = queue.shift() as number[]
    for (const [nx, ny] of [[cx - 1, cy], [cx + 1, cy], [cx, cy - 1], [cx, cy + 1]]) {
      if (nx < 0 || ny < 0 || nx >= w || ny >= h || data[ny * w + nx] !== target) continue
      data[ny * w + nx] = value
      queue.push([nx, ny])
    }
  }
}

describe('floodFill', () => {
  it('fills a 4-connected region and stops at diagonal contacts and other values', () => {
    const { data, w, h } = grid([
      '..1....',
      '..1.11.',
      '111.1..',
      '...1...',
      '..1....',
    ])
    const box = floodFill(data, w, h, 0, 0, 2)
    expect(show(data, w)).toEqual([
      '221....',
      '221.11.',
      '111.1..',
      '...1...',
      '..1....',
    ])
    expect(box).toEqual({ x: 0, y: 0, w: 2, h: 2 })
  })

  it('fills around obstacles including regions reached only by going back up (U shape)', () => {
    const { data, w, h } = grid([
      '.......',
      '.1.1.1.',
      '.1.1.1.',
      '.1...1.',
      '.11111.',
    ])
    const box = floodFill(data, w, h, 2, 1, 3)
    expect(show(data, w)).toEqual([
      '3333333',
      '3131313',
      '3131313',
      '3133313',
      '3111113',
    ])
    expect(box).toEqual({ x: 0, y: 0, w: 7, h: 5 })
  })

  it('returns null and writes nothing when the seed already has the value or lies outside', () => {
    const { data, w, h } = grid(['11', '1.'])
    const before = Uint8Array.from(data)
    expect(floodFill(data, w, h, 0, 0, 1)).toBeNull()
    expect(floodFill(data, w, h, 5, 0, 2)).toBeNull()
    expect(floodFill(data, w, h, -1, 0, 2)).toBeNull()
    expect(data).toEqual(before)
  })

  it('reports every written run before writing it, and the runs cover exactly the filled pixels', () => {
    const { data, w, h } = grid(['....', '.11.', '....'])
    const snapshots: number[][] = []
    let written = 0
    floodFill(data, w, h, 0, 0, 4, (y, x0, x1) => {
      snapshots.push(Array.from(data.subarray(y * w + x0, y * w + x1 + 1)))
      written += x1 - x0 + 1
    })
    expect(snapshots.flat().every((v) => v === 255)).toBe(true)
    expect(written).toBe(10)
  })

  it('matches a naive breadth-first fill on random masks', () => {
    const rand = seeded(7)
    for (let trial = 0; trial < 40; trial++) {
      const w = 5 + Math.floor(rand() * 40)
      const h = 5 + Math.floor(rand() * 40)
      const data = new Uint8Array(w * h).map(() => (rand() < 0.6 ? 255 : Math.floor(rand() * 3)))
      const expected = Uint8Array.from(data)
      const x = Math.floor(rand() * w)
      const y = Math.floor(rand() * h)
      naiveFill(expected, w, h, x, y, 9)
      floodFill(data, w, h, x, y, 9)
      expect(data).toEqual(expected)
    }
  })

  it('fills a large open mask (4096×4096) without overflowing the stack', () => {
    const w = 4096
    const h = 4096
    const data = new Uint8Array(w * h).fill(255)
    for (let y = 1; y < h; y += 2) data.fill(0, y * w + (y % 4 === 1 ? 1 : 0), y * w + w - (y % 4 === 1 ? 0 : 1))
    const box = floodFill(data, w, h, 0, 0, 1)
    expect(box).toEqual({ x: 0, y: 0, w, h })
    expect(data.indexOf(255)).toBe(-1)
  })
})
