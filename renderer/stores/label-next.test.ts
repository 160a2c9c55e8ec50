import { describe, expect, it } from 'vitest'
import type { LabelStatus, SuggestRegion, Suggestion } from '../../core/contract'
import { filterSuggestions, neighborsIn, parseRegion, pickNext, regionQuery, regionView } from './label-next'

function suggestion(rank: number, imageId: number, name: string, status: LabelStatus, region: SuggestRegion | null = null): Suggestion {
  return {
    rank,
    imageId,
    imageName: name,
    width: 64,
    height: 64,
    region,
    score: 1 / rank,
    uncertainty: null,
    className: null,
    uncertainShare: null,
    reason: 'test',
    image: {
      id: imageId,
      name,
      relPath: name,
      width: 64,
      height: 64,
      bands: 3,
      bitDepth: 8,
      status,
      labeledFraction: status === 'partial' ? 0.5 : 0,
      classPixels: [0, 0],
      source: null,
      addedAt: '2026-12-04T00:00:00Z',
    },
  }
}

const items = [
  suggestion(1, 7, 'tile-07.png', 'unlabeled'),
  suggestion(2, 3, 'tile-03.png', 'partial', { x: 32, y: 0, width: 32, height: 32 }),
  suggestion(3, 9, 'scene-09.png', 'unlabeled'),
]

describe('Label next in the renderer', () => {
  it('keeps the ranking order under the gallery status and name filters', () => {
    expect(filterSuggestions(items, { status: [], search: '' }).map((s) => s.imageId)).toEqual([7, 3, 9])
    expect(filterSuggestions(items, { status: ['unlabeled'], search: '' }).map((s) => s.imageId)).toEqual([7, 9])
    expect(filterSuggestions(items, { status: [], search: ' TILE ' }).map((s) => s.imageId)).toEqual([7, 3])
    expect(filterSuggestions(items, { status: ['labeled'], search: '' })).toEqual([])
  })

  it('gives previous and next in the ranking, null at the ends and for an image not in it', () => {
    expect(neighborsIn(items, 7)).toEqual({ prev: null, next: 3 })
    expect(neighborsIn(items, 3)).toEqual({ prev: 7, next: 9 })
    expect(neighborsIn(items, 9)).toEqual({ prev: 3, next: null })
    expect(neighborsIn(items, 42)).toEqual({ prev: null, next: null })
  })

  it('jumps past the whole image already on screen but not past a region of it', () => {
    expect(pickNext(items, null)?.imageId).toBe(7)
    expect(pickNext(items, 7)?.imageId).toBe(3)
    expect(pickNext(items, 3)?.imageId).toBe(7)
    expect(pickNext([items[1]], 3)?.region).toEqual({ x: 32, y: 0, width: 32, height: 32 })
    expect(pickNext([items[0]], 7)).toBeNull()
    expect(pickNext([], 7)).toBeNull()
  })

  it('carries a region through the route query and rejects malformed ones', () => {
    const r = { x: 10, y: 20, width: 30, height: 40 }
    expect(parseRegion(regionQuery(r))).toEqual(r)
    for (const bad of [undefined, '', '1,2,3', '1,2,0,4', '-1,2,3,4', '1,2,3,4,5', 'a,b,c,d', ['1,2,3,4']]) expect(parseRegion(bad)).toBeNull()
  })

  it('shows a region whole and centred in the stage', () => {
    const r = { x: 100, y: 50, width: 200, height: 100 }
    const v = regionView(r, 800, 600)
    // The region's width limits the fit: (800 − 2·24) / 200.
    expect(v.scale).toBeCloseTo(3.76, 6)
    const left = r.x * v.scale + v.x
    const right = (r.x + r.width) * v.scale + v.x
    const top = r.y * v.scale + v.y
    const bottom = (r.y + r.height) * v.scale + v.y
    expect(left).toBeGreaterThanOrEqual(23)
    expect(right).toBeLessThanOrEqual(777)
    expect(Math.abs((left + right) / 2 - 400)).toBeLessThanOrEqual(1)
    expect(Math.abs((top + bottom) / 2 - 300)).toBeLessThanOrEqual(1)
    // A one-pixel region is not magnified past the cap.
    expect(regionView({ x: 0, y: 0, width: 1, height: 1 }, 800, 600).scale).toBe(4)
  })
})
