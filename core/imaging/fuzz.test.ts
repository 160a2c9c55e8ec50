/**
 * A fixed-seed subset of the fuzz benchmark (bench/reliability/fuzz): damaged images, masks, COCO files and
 * project files must each end in a result or a named error within 5 s. Seed 18 is the one whose early
 * cases found the three bugs fixed with these tests (a huge TIFF failing unnamed, a huge mask PNG
 * decoding for a minute, a damaged project whose close threw a raw SqliteError).
 */
import { describe, expect, it } from 'vitest'
import { TARGETS } from '../../bench/reliability/fuzz/targets'

describe('fuzzing, fixed seed', () => {
  for (const target of TARGETS) {
    it(`${target.name}: every case decodes or fails with a named error`, async () => {
      const stats = await target.run({ seed: 18, numRuns: 120 })
      expect(stats.cases).toBe(120)
      expect(stats.cases - stats.accepted).toBeGreaterThan(0)
    })
  }
})
