import { describe, expect, it } from 'vitest'
import { toQuery, type GalleryFilters } from './gallery'

const none: GalleryFilters = { status: [], search: '', containsClass: null, missingClass: null, pseudo: false, sort: 'added', order: 'asc' }

describe('gallery filters as an images:list query', () => {
  it('asks for accepted pseudo-labels only when that filter is on', () => {
    expect(toQuery(none)).toEqual({ sort: 'added', order: 'asc' })
    expect(toQuery({ ...none, pseudo: true, status: ['partial'] })).toEqual({ sort: 'added', order: 'asc', status: ['partial'], source: ['pseudo-accepted'] })
  })
})
