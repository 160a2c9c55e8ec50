import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ProjectStore } from '../project'
import { tempDir } from '../project/test-helpers'
import { suggestJob } from './suggest-job'
import { bytes, floats, writeSuggestProject, type TestImage } from './test-project'

const CLASSES = ['ground', 'road', 'vehicle']
const [GROUND, ROAD, VEHICLE] = [0, 1, 2]

/** Labeled reference: ground with an 8-column road strip and 4 vehicle pixels, so vehicle is the rare class. */
const REFERENCE: TestImage = {
  name: 'labeled.png',
  rgb: [128, 128, 128],
  mask: bytes((x, y) => (x < 8 ? ROAD : y === 0 && x >= 28 ? VEHICLE : GROUND)),
}

/** A prediction: ground at `groundConf` except where `where` says another class at `conf`. */
function predicted(groundConf: number, where: (x: number, y: number) => { cls: number; conf: number } | null): TestImage['prediction'] {
  return {
    mask: bytes((x, y) => where(x, y)?.cls ?? GROUND),
    confidence: floats((x, y) => where(x, y)?.conf ?? groundConf),
  }
}

/** Mean doubt without rarity weighting, (1 − conf) / (1 − 1/C) averaged over the image. */
function rawDoubt(p: NonNullable<TestImage['prediction']>): number {
  return p.confidence.reduce((a, c) => a + (1 - c) * 1.5, 0) / p.confidence.length
}

let tmp: ReturnType<typeof tempDir>
let store: ProjectStore | null = null

beforeEach(() => {
  tmp = tempDir('labelloop-suggest-')
})
afterEach(() => {
  store?.close()
  store = null
  tmp.cleanup()
})

async function project(images: TestImage[]): Promise<ProjectStore> {
  store = await writeSuggestProject(join(tmp.dir, 'p.labelloop'), CLASSES, images)
  return store
}

describe('suggestJob ranking', () => {
  it('prefers an image with an uncertain rare class over a confident common one, and over more doubt about a common class', async () => {
    const rare = predicted(0.95, (x, y) => (x >= 10 && x < 16 && y >= 10 && y < 16 ? { cls: VEHICLE, conf: 0.4 } : null))
    const confident = predicted(0.97, () => null)
    const commonDoubt = predicted(0.95, (x) => (x < 16 ? { cls: ROAD, conf: 0.7 } : null))
    // The road image holds far more raw doubt than the vehicle image: only the rarity weighting puts the vehicle first.
    expect(rawDoubt(commonDoubt!)).toBeGreaterThan(2 * rawDoubt(rare!))
    const s = await project([
      REFERENCE,
      { name: 'confident-ground.png', rgb: [40, 200, 40], prediction: confident },
      { name: 'uncertain-road.png', rgb: [40, 40, 200], prediction: commonDoubt },
      { name: 'uncertain-vehicle.png', rgb: [200, 40, 40], prediction: rare },
    ])
    const r = await suggestJob(s, { limit: 10 })
    expect(r.mode).toBe('model')
    expect(r.note).toBeNull()
    expect(r.candidates).toBe(3)
    expect(r.items.map((i) => i.imageName)).toEqual(['uncertain-vehicle.png', 'uncertain-road.png', 'confident-ground.png'])
    const [first, second, third] = r.items
    expect(first).toMatchObject({ rank: 1, region: null, className: 'vehicle' })
    expect(first.reason).toContain("rare class 'vehicle' uncertain")
    expect(first.uncertainShare).toBeCloseTo(36 / 1024, 6)
    expect(first.uncertainty!).toBeGreaterThan(second.uncertainty!)
    expect(second.uncertainty!).toBeGreaterThan(third.uncertainty!)
    expect(third.reason).toContain('model fairly sure')
    expect(first.image).toMatchObject({ id: first.imageId, name: 'uncertain-vehicle.png', status: 'unlabeled' })
    // Labeled images are never suggested; the limit cuts the list.
    expect((await suggestJob(s, { limit: 1 })).items.map((i) => i.imageName)).toEqual(['uncertain-vehicle.png'])
  })

  it('keeps near-duplicates from crowding the top of the list', async () => {
    const doubt = (conf: number): TestImage['prediction'] => predicted(0.95, (x, y) => (x < 8 && y < 8 ? { cls: VEHICLE, conf } : null))
    const s = await project([
      REFERENCE,
      // Three near-identical scenes with the highest doubt, and one different scene with clearly less.
      { name: 'dup-a.png', rgb: [200, 40, 40], prediction: doubt(0.35) },
      { name: 'dup-b.png', rgb: [201, 40, 40], prediction: doubt(0.36) },
      { name: 'dup-c.png', rgb: [202, 41, 40], prediction: doubt(0.37) },
      { name: 'other.png', rgb: [40, 40, 200], prediction: doubt(0.6) },
    ])
    const r = await suggestJob(s, { limit: 4 })
    const byDoubt = [...r.items].sort((a, b) => b.uncertainty! - a.uncertainty!).map((i) => i.imageName)
    expect(byDoubt.slice(0, 3)).toEqual(['dup-a.png', 'dup-b.png', 'dup-c.png'])
    expect(r.items.map((i) => i.imageName)).toEqual(['dup-a.png', 'other.png', 'dup-b.png', 'dup-c.png'])
    expect(r.items[2].reason).toContain('looks like #1 above')
    expect(r.items[1].reason).not.toContain('looks like')
    const scores = r.items.map((i) => i.score)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
  })

  it('offers the most useful unlabeled cell of a partly labeled image, never its labeled part', async () => {
    const s = await project([
      REFERENCE,
      {
        name: 'partly.png',
        rgb: [200, 40, 40],
        // Left half labeled ground; the model doubts a vehicle in the top-right cell (x 24–31, y 0–7).
        mask: bytes((x) => (x < 16 ? GROUND : 255)),
        prediction: predicted(0.95, (x, y) => (x >= 24 && y < 8 ? { cls: VEHICLE, conf: 0.4 } : null)),
      },
      { name: 'full.png', rgb: [40, 40, 200], mask: bytes(() => GROUND), prediction: predicted(0.5, () => null) },
    ])
    const r = await suggestJob(s, { limit: 10 })
    expect(r.items).toHaveLength(1)
    expect(r.items[0]).toMatchObject({ imageName: 'partly.png', region: { x: 24, y: 0, width: 8, height: 8 }, className: 'vehicle' })
    expect(r.items[0].reason).toContain('in this unlabeled region')
    expect(r.items[0].image.status).toBe('partial')
  })

  it('moves the region when that cell gets labeled', async () => {
    const s = await project([
      REFERENCE,
      {
        name: 'partly.png',
        rgb: [200, 40, 40],
        // Left half and the top-right cell labeled; the remaining doubt sits at x 16–23, y 24–31.
        mask: bytes((x, y) => (x < 16 || (x >= 24 && y < 8) ? GROUND : 255)),
        prediction: predicted(0.95, (x, y) => ((x >= 24 && y < 8) || (x >= 16 && x < 24 && y >= 24) ? { cls: VEHICLE, conf: 0.4 } : null)),
      },
    ])
    const [item] = (await suggestJob(s, { limit: 10 })).items
    expect(item.region).toEqual({ x: 16, y: 24, width: 8, height: 8 })
  })

  it('without a model ranks for diversity only and says to train, or refuses with requireModel', async () => {
    const s = await project([
      REFERENCE,
      { name: 'red.png', rgb: [200, 40, 40] },
      { name: 'red-too.png', rgb: [201, 40, 40] },
      { name: 'blue.png', rgb: [40, 40, 200] },
      { name: 'partly.png', rgb: [40, 200, 40], mask: bytes((x, y) => (x < 16 || y < 8 ? GROUND : 255)) },
    ])
    const r = await suggestJob(s, { limit: 10 })
    expect(r).toMatchObject({ mode: 'diversity-only', runId: null, candidates: 4 })
    expect(r.note).toMatch(/train one first/)
    for (const i of r.items) expect(i).toMatchObject({ uncertainty: null, className: null })
    const names = r.items.map((i) => i.imageName)
    // The two reds are near-duplicates: one of them goes last.
    expect(names.slice(0, 3)).toEqual(expect.arrayContaining(['red.png', 'blue.png', 'partly.png']))
    expect(names[3]).toBe('red-too.png')
    // Without doubt, a partly labeled image offers a cell that is entirely unlabeled.
    const region = r.items.find((i) => i.imageName === 'partly.png')!.region!
    expect(region.x).toBeGreaterThanOrEqual(16)
    expect(region.y).toBeGreaterThanOrEqual(8)
    await expect(suggestJob(s, { limit: 10, requireModel: true })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('reports progress per image and stops at the next image when cancelled', async () => {
    const s = await project([{ name: 'a.png', rgb: [200, 40, 40] }, { name: 'b.png', rgb: [40, 200, 40] }, { name: 'c.png', rgb: [40, 40, 200] }])
    const seen: [number, number, string | null][] = []
    const full = await suggestJob(s, { limit: 10, onProgress: (d, t, n) => seen.push([d, t, n]) })
    expect(full.cancelled).toBe(false)
    expect(seen).toEqual([[0, 3, 'a.png'], [1, 3, 'b.png'], [2, 3, 'c.png'], [3, 3, null]])

    const abort = new AbortController()
    const cut = await suggestJob(s, { limit: 10, signal: abort.signal, onProgress: (d) => d === 1 && abort.abort() })
    expect(cut.cancelled).toBe(true)
    // b.png was being read when the cancel came; c.png was never read.
    expect(cut.items.map((i) => i.imageName).sort()).toEqual(['a.png', 'b.png'])
  })
})
