import { describe, expect, it } from 'vitest'
import { MASK_THUMB_SIDE, thumbScale } from './mask-thumb'

describe('thumbScale', () => {
  it('shrinks a large mask to the thumbnail side and never enlarges a small one', () => {
    expect(thumbScale(8000, 4000) * 8000).toBe(MASK_THUMB_SIDE)
    expect(thumbScale(256, 256)).toBe(1)
    expect(thumbScale(0, 0)).toBe(1)
  })
})
