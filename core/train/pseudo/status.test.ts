import { describe, expect, it } from 'vitest'
import { transition } from './status'

describe('review status transitions', () => {
  it('accept applies the pseudo mask from pending or rejected, and is a no-op when accepted', () => {
    expect(transition('pending', 'accept')).toEqual({ next: 'accepted', effect: 'apply' })
    expect(transition('rejected', 'accept')).toEqual({ next: 'accepted', effect: 'apply' })
    expect(transition('accepted', 'accept')).toEqual({ next: 'accepted', effect: 'none' })
  })

  it('reject takes back an accepted label and otherwise changes nothing', () => {
    expect(transition('pending', 'reject')).toEqual({ next: 'rejected', effect: 'none' })
    expect(transition('accepted', 'reject')).toEqual({ next: 'rejected', effect: 'revert' })
  })

  it('an edit wins from any state, and an edited pseudo-label cannot be decided again', () => {
    for (const s of ['pending', 'accepted', 'rejected', 'edited'] as const) expect(transition(s, 'edit')).toEqual({ next: 'edited', effect: 'none' })
    expect(() => transition('edited', 'accept')).toThrow(/human label/)
    expect(() => transition('edited', 'reject')).toThrow(/human label/)
  })

  it('rollback reverts accepted labels, resets decisions to pending and keeps edits', () => {
    expect(transition('accepted', 'rollback')).toEqual({ next: 'pending', effect: 'revert' })
    expect(transition('rejected', 'rollback')).toEqual({ next: 'pending', effect: 'none' })
    expect(transition('pending', 'rollback')).toEqual({ next: 'pending', effect: 'none' })
    expect(transition('edited', 'rollback')).toEqual({ next: 'edited', effect: 'none' })
  })
})
