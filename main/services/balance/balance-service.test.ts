import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { api, AppError, type Output } from '../../../core/contract'
import { ProjectStore } from '../../../core/project'
import { makeHost, maskPng, rgbPng, type TestHost } from '../test-fixtures'

let t: TestHost
let ids: number[]
let projectPath: string

/** 10×10 masks: rows of classes, 255 = unlabeled. */
function rowsMask(rows: number[]): Promise<Buffer> {
  return maskPng(10, 10, (_x, y) => rows[y])
}

async function save(imageId: number, rows: number[], source: 'human' | 'pseudo-accepted' | 'import' = 'human'): Promise<void> {
  const png = await rowsMask(rows)
  await t.call('masks:save', { imageId, pngBase64: png.toString('base64'), source })
}

async function balance(beta?: number): Promise<Output<'balance:get'>> {
  return api['balance:get'].output.parse(await t.call('balance:get', beta === undefined ? {} : { beta }))
}

beforeEach(async () => {
  t = makeHost()
  projectPath = join(t.dir, 'b.labelloop')
  // Created and closed first, so its header is on disk and a second connection can open it later.
  ProjectStore.create(projectPath, 'B', [{ name: 'ground' }, { name: 'road' }, { name: 'vehicle', color: '#ff0040' }]).close()
  await t.call('project:open', { path: projectPath })
  const files: string[] = []
  for (let i = 0; i < 4; i++) {
    const file = join(t.dir, `tile-${i}.png`)
    writeFileSync(file, await rgbPng(10, 10, i))
    files.push(file)
  }
  ids = (await t.call('images:import', { jobId: 'setup', paths: files })).imported.map((i) => i.id)
  // tile-0: ground 80, road 20 (human). tile-1: ground 50, road 40, vehicle 2 (2 pixels of row 9), 8 unlabeled.
  await save(ids[0], [0, 0, 0, 0, 0, 0, 0, 0, 1, 1])
  const png = await maskPng(10, 10, (x, y) => (y < 5 ? 0 : y < 9 ? 1 : x < 2 ? 2 : 255))
  await t.call('masks:save', { imageId: ids[1], pngBase64: png.toString('base64') })
  // tile-2: ground 100 as an accepted pseudo-label; tile-3 stays unlabeled.
  await save(ids[2], new Array<number>(10).fill(0), 'pseudo-accepted')
})
afterEach(async () => {
  await t.cleanup()
})

describe('balance:get', () => {
  it('counts human and pseudo-labels apart and together, with SegNet frequency and every weight scheme', async () => {
    const b = await balance()
    expect(b.totals).toEqual({ labeledPixels: 292, images: 4, labeledImages: 3 })
    expect(b.classes.map((c) => [c.name, c.pixels, c.images])).toEqual([
      ['ground', 230, 3],
      ['road', 60, 2],
      ['vehicle', 2, 1],
    ])
    expect(b.classes[2].color).toBe('#ff0040')
    expect(b.classes.map((c) => c.human)).toEqual([{ pixels: 130, images: 2 }, { pixels: 60, images: 2 }, { pixels: 2, images: 1 }])
    expect(b.classes.map((c) => c.pseudo)).toEqual([{ pixels: 100, images: 1 }, { pixels: 0, images: 0 }, { pixels: 0, images: 0 }])
    expect(b.classes[0].share).toBeCloseTo(230 / 292, 12)
    // freq = pixels / labeled pixels of the images containing the class: 230/292, 60/192, 2/92.
    const freq = [230 / 292, 60 / 192, 2 / 92]
    b.classes.forEach((c, i) => expect(c.frequency).toBeCloseTo(freq[i], 12))
    const med = 60 / 192
    b.weights.medianFrequency.forEach((w, i) => expect(w).toBeCloseTo(med / freq[i], 10))
    expect(b.weights.medianFrequency[2]).toBeCloseTo(14.375, 10)
    const inv = [1 / 230, 1 / 60, 1 / 2]
    const invMean = (inv[0] + inv[1] + inv[2]) / 3
    b.weights.inverseFrequency.forEach((w, i) => expect(w).toBeCloseTo(inv[i] / invMean, 10))
    expect(b.beta).toBe(0.9999)
    expect(b.warnings).toEqual(['vehicle: 0.7% of labeled pixels, in 1 of 3 images — label more of it, or train with focal loss, OHEM or copy-paste'])
    expect(b.recommendation.preset).toBe('rare-objects')
    expect(b.recommendation.reason).toContain('vehicle (0.7%)')
  })

  it('takes β for the effective-number weights and refuses β outside [0, 1)', async () => {
    // β = 0: every present class weighs (1 − 0) / (1 − 0) = 1.
    expect((await balance(0)).weights.effectiveNumber).toEqual([1, 1, 1])
    const b = await balance(0.9)
    expect(b.beta).toBe(0.9)
    const raw = [230, 60, 2].map((n) => 0.1 / (1 - 0.9 ** n))
    const mean = raw.reduce((a, v) => a + v, 0) / 3
    b.weights.effectiveNumber.forEach((w, i) => expect(w).toBeCloseTo(raw[i] / mean, 10))
    await expect(t.call('balance:get', { beta: 1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
  })

  it('follows saves, restores, deletions and writes that announced nothing, matching a full recompute', async () => {
    await balance()
    await save(ids[3], [2, 2, 0, 0, 0, 0, 0, 0, 0, 0])
    let b = await balance()
    expect(b.classes.map((c) => [c.pixels, c.images])).toEqual([[310, 4], [60, 2], [22, 2]])
    expect(b.totals.labeledImages).toBe(4)

    // The pseudo-label of tile-2 is replaced by a human edit: it moves groups.
    await save(ids[2], [1, 1, 1, 1, 1, 0, 0, 0, 0, 0])
    b = await balance()
    expect(b.classes.map((c) => c.pseudo.pixels)).toEqual([0, 0, 0])
    expect(b.classes.map((c) => c.human.pixels)).toEqual([260, 110, 22])
    // Restoring the pseudo-label brings it back into its group; then the human edit is restored again.
    const revisions = await t.call('masks:revisions', { imageId: ids[2] })
    await t.call('masks:restore', { imageId: ids[2], revisionId: revisions[1].id })
    expect((await balance()).classes.map((c) => c.pseudo.pixels)).toEqual([100, 0, 0])
    await t.call('masks:restore', { imageId: ids[2], revisionId: revisions[0].id })
    expect((await balance()).classes.map((c) => c.pseudo.pixels)).toEqual([0, 0, 0])

    await t.call('images:delete', { ids: [ids[0]] })
    // A second connection writes a mask without any event: the revision watermark still finds it.
    const other = ProjectStore.open(projectPath)
    try {
      other.masks.save(ids[1], { png: await rowsMask(new Array<number>(10).fill(2)), source: 'import', labeledFraction: 1, classPixels: [0, 0, 100] })
    } finally {
      other.close()
    }
    const incremental = await balance()
    expect(incremental.classes.map((c) => [c.pixels, c.images])).toEqual([[130, 2], [50, 1], [120, 2]])

    // Reopening loads everything from scratch; the running totals must agree exactly.
    await t.call('project:open', { path: projectPath })
    expect(await balance()).toEqual(incremental)
  })

  it('starts over for another project and answers NO_PROJECT without one', async () => {
    expect((await balance()).totals.labeledPixels).toBe(292)
    await t.call('project:create', { path: join(t.dir, 'other.labelloop'), name: 'O', classes: [{ name: 'a' }, { name: 'b' }] })
    const b = await balance()
    expect(b.classes.map((c) => c.name)).toEqual(['a', 'b'])
    expect(b.totals).toEqual({ labeledPixels: 0, images: 0, labeledImages: 0 })
    expect(b.warnings).toEqual([])
    expect(b.recommendation.preset).toBe('plain')
    await t.call('project:close', {})
    const err = await t.call('balance:get', {}).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('NO_PROJECT')
  })
})

describe('balance:images', () => {
  it('lists labeled images with their class pixels, sorted by a class share, pixels or name', async () => {
    const byVehicle = await t.call('balance:images', { classIndex: 2, sort: 'share', order: 'desc' })
    expect(byVehicle.total).toBe(3)
    expect(byVehicle.items[0]).toEqual({ imageId: ids[1], name: 'tile-1.png', classPixels: [50, 40, 2], labeledPixels: 92, pixels: 100 })
    // Ties (no vehicle) break by id in the sort direction.
    expect(byVehicle.items.map((r) => r.imageId)).toEqual([ids[1], ids[2], ids[0]])

    const byRoadPixels = await t.call('balance:images', { classIndex: 1, sort: 'pixels', order: 'asc' })
    expect(byRoadPixels.items.map((r) => r.classPixels[1])).toEqual([0, 20, 40])

    const byLabeled = await t.call('balance:images', { sort: 'share', order: 'asc' })
    expect(byLabeled.items.map((r) => r.labeledPixels)).toEqual([92, 100, 100])

    const byName = await t.call('balance:images', { sort: 'name', order: 'desc', offset: 1, limit: 1 })
    expect(byName).toEqual({ total: 3, items: [expect.objectContaining({ name: 'tile-1.png' })] })
    await expect(t.call('balance:images', { sort: 'colour' as 'name' })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
  })
})
