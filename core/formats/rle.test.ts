import { describe, expect, it } from 'vitest'
import { compressRleCounts, decodeRle, decodeRleCounts, decompressRleCounts, encodeRleCounts, regionStats } from './rle'

describe('COCO RLE counts (column-major)', () => {
  // 3 wide, 2 high, row-major:   0 1 1
  //                              0 0 1
  // column-major reading: 0 0 | 1 0 | 1 1  → runs 2 zeros, 1 one, 1 zero, 2 ones.
  const data = Uint8Array.from([0, 1, 1, 0, 0, 1])

  it('encodes down the columns, starting with a run of 0s', () => {
    expect(encodeRleCounts(data, 3, 2, 1)).toEqual([2, 1, 1, 2])
    // The class-0 region is the complement: it starts with a set pixel, so the first run of 0s is empty.
    expect(encodeRleCounts(data, 3, 2, 0)).toEqual([0, 2, 1, 1, 2])
  })

  it('decodes back to the row-major mask', () => {
    expect(Array.from(decodeRleCounts([2, 1, 1, 2], 3, 2))).toEqual([0, 1, 1, 0, 0, 1])
  })

  it('rejects counts that do not cover the mask exactly', () => {
    expect(() => decodeRleCounts([2, 1], 3, 2)).toThrow(/cover 3 pixels/)
    expect(() => decodeRleCounts([5, 5], 3, 2)).toThrow(/do not fit/)
  })

  it('area and bbox as COCO defines them ([x, y, w, h] in pixels)', () => {
    expect(regionStats(data, 3, 2, 1)).toEqual({ area: 3, bbox: [1, 0, 2, 2] })
    expect(regionStats(data, 3, 2, 7)).toEqual({ area: 0, bbox: null })
  })
})

describe('compressed string form (pycocotools rleToString)', () => {
  // Worked by hand: 5 bits per character, +48; 0x20 = more follows; the last group's 0x10 is the sign;
  // counts from index 3 on are stored as the difference to the count two places before.
  const cases: [number[], string][] = [
    [[2, 1, 1, 2], '2111'], // index 3: 2 - 1 = 1
    [[5, 3, 1, 2], '531O'], // index 3: 2 - 3 = -1 → 31 with sign bit → 'O'
    [[0, 1024], '0PP1'], // 1024 = 0 + 0·32 + 1·32²: groups 0|more, 0|more, 1 → 'P', 'P', '1'
    [[0, 10, 200, 40], '0:X6n0'], // 200 → 8|more 'X', 6 '6'; index 3: 40 - 10 = 30 needs a sign group: 'n', '0'
    [[0, 50, 1, 10], '0b11hN'], // 50 → 'b','1'; index 3: 10 - 50 = -40 → 24|more 'h', 30 with sign 'N'
    [[9], '9'],
  ]
  it.each(cases)('%j ↔ %s', (counts, text) => {
    expect(compressRleCounts(counts)).toBe(text)
    expect(decompressRleCounts(text)).toEqual(counts)
  })

  it('round-trips long counts of a real mask', () => {
    const w = 37
    const h = 23
    const mask = new Uint8Array(w * h)
    for (let i = 0; i < mask.length; i++) mask[i] = (i * 7919) % 13 < 5 ? 1 : 0
    const counts = encodeRleCounts(mask, w, h, 1)
    const back = decodeRle({ size: [h, w], counts: compressRleCounts(counts) }, 'test')
    expect(Array.from(back.data)).toEqual(Array.from(mask))
  })

  it('decodeRle names where a malformed RLE came from', () => {
    expect(() => decodeRle({ size: [2, 2], counts: 'zz' }, 'a.json: annotation 4')).toThrow(/a\.json: annotation 4: .*invalid character/)
    expect(() => decodeRle({ size: [2, 2], counts: [1, 1] }, 'a.json')).toThrow(/a\.json: RLE counts cover 2 pixels/)
  })
})
