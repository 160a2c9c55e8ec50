import * as tf from '@tensorflow/tfjs-core'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PretrainConfig, TrainConfig } from '../../contract'
import { contentHash, decodeImage, encodeMaskPng, maskClassCounts } from '../../imaging'
import { ProjectStore } from '../../project'
import { selectBackend } from '../backend'
import { trainJob } from '../loop/jobs'
import { RunRepo } from '../loop/run-repo'
import { squaresDataset } from '../loop/test-data'
import { createUNet } from '../model/unet'
import { modelInitFor } from './init'
import { pretrainJob } from './pretrain-job'
import { PretrainRepo } from './pretrain-repo'

const MODEL = { depth: 3, baseFilters: 8, batchNorm: true }
const BACKEND = { name: 'wasm', device: 'test' }

/** A project of `count` squares images, the first `labeled` with masks. */
async function squaresProject(path: string, count: number, labeled: number, size: number): Promise<ProjectStore> {
  const store = ProjectStore.create(path, 'Squares', [{ name: 'background' }, { name: 'square' }])
  for (const [i, img] of squaresDataset(count, size, 4).entries()) {
    const png = await sharp(Buffer.from(img.pixels.data.buffer), { raw: { width: size, height: size, channels: 3 } }).png().toBuffer()
    const d = await decodeImage(png, img.name)
    store.write(() => {
      const id = store.images.insert({
        name: img.name, relPath: img.name, contentHash: contentHash(png), width: d.width, height: d.height, bands: d.bands, bitDepth: d.bitDepth,
        format: d.format, original: png, display: d.display, displayMime: d.displayMime, thumbnail: d.thumbnail, thumbnailMime: d.thumbnailMime,
      })
      if (i < labeled) {
        const counts = maskClassCounts(img.mask, 2)
        store.masks.save(id, { png: encodeMaskPng(img.mask, size, size), source: 'human', labeledFraction: counts.labeled / img.mask.length, classPixels: counts.classPixels })
      }
    })
  }
  return store
}

const weightsOf = (model: { getLayer(n: string): { getWeights(): tf.Tensor[] } }, name: string): number[][] =>
  model.getLayer(name).getWeights().map((w) => Array.from(w.dataSync()))

describe('pretraining job in a project', () => {
  let dir: string
  let store: ProjectStore

  beforeAll(async () => {
    await selectBackend({ force: 'wasm' })
    dir = mkdtempSync(join(tmpdir(), 'labelloop-ssl-'))
    store = await squaresProject(join(dir, 'p.labelloop'), 6, 3, 48)
  })

  afterAll(() => {
    store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('refuses init "pretrained" before any pretraining, saying what to do', () => {
    expect(() => modelInitFor(store, { init: 'pretrained', model: { ...MODEL, dropout: 0 } })).toThrow(/no pretrained encoder yet: run labelloop pretrain/)
    expect(modelInitFor(store, { init: 'scratch', model: { ...MODEL, dropout: 0 } })).toBeNull()
  })

  it('stores nothing for a cancelled pretraining', async () => {
    const repo = new PretrainRepo(store)
    const runId = repo.create(PretrainConfig.parse({ epochs: 1, tileSize: 32, batchSize: 4, model: MODEL }))
    const controller = new AbortController()
    controller.abort()
    const run = await pretrainJob(store, { runId, backend: BACKEND, signal: controller.signal })
    expect(run).toMatchObject({ id: runId, status: 'cancelled', hasEncoder: false })
    expect(repo.encoder()).toBeNull()
  })

  it('pretrains on every image, stores the encoder apart from training runs, and training starts from it', async () => {
    const repo = new PretrainRepo(store)
    const runId = repo.create(PretrainConfig.parse({ epochs: 2, tileSize: 32, batchSize: 4, stepsPerEpoch: 2, model: MODEL, seed: 3 }))
    const phases = new Set<string>()
    const run = await pretrainJob(store, { runId, backend: BACKEND, onProgress: (p) => phases.add(p.phase) })
    expect(run).toMatchObject({ id: runId, status: 'completed', images: 6, hasEncoder: true, backend: 'wasm', error: null })
    expect(run.losses).toHaveLength(2)
    expect([...phases]).toEqual(['preparing', 'training', 'saving'])
    expect(repo.latest()?.id).toBe(runId)
    const runs = new RunRepo(store)
    expect(runs.list()).toEqual([])
    expect(runs.activeRunId()).toBeNull()
    expect(() => runs.get(runId)).toThrow(/does not exist/)

    const encoder = repo.encoder()
    expect(encoder?.spec).toEqual({ inChannels: 3, depth: 3, baseFilters: 8, batchNorm: true })
    expect(encoder?.normalisation?.mean).toHaveLength(3)
    const init = modelInitFor(store, { init: 'pretrained', model: { ...MODEL, dropout: 0.1 } })
    expect(init?.normalisation).toEqual(encoder?.normalisation)
    const unet = createUNet({ inChannels: 3, numClasses: 2, depth: 3, baseFilters: 8, seed: 1 })
    const fresh = weightsOf(unet, 'enc1_conv2')
    const decoder = weightsOf(unet, 'dec1_conv2')
    const copied = (await init?.apply(unet)) ?? []
    expect(copied).toContain('enc1_conv2')
    expect(weightsOf(unet, 'enc1_conv2')).not.toEqual(fresh)
    expect(weightsOf(unet, 'dec1_conv2')).toEqual(decoder)
    unet.dispose()
    expect(() => modelInitFor(store, { init: 'pretrained', model: { depth: 4, baseFilters: 8, batchNorm: true, dropout: 0 } })).toThrow(/depth-3, width-8 .* asks for depth 4/)

    const config = TrainConfig.parse({ epochs: 1, tileSize: 32, batchSize: 2, model: { ...MODEL, dropout: 0 }, loss: { name: 'ce', classWeights: 'none' }, validationFraction: 0.34, init: 'pretrained' })
    const trainId = runs.create(config)
    const trained = await trainJob(store, { runId: trainId, resume: false, backend: BACKEND })
    expect(trained).toMatchObject({ id: trainId, status: 'completed', active: true })
    expect(trained.config.init).toBe('pretrained')
    expect(runs.list().map((r) => r.id)).toEqual([trainId])
    // A later run can start from this one: every layer (the class head too) is copied.
    const again = modelInitFor(store, { init: { runId: trainId }, model: { ...MODEL, dropout: 0 } })
    const next = createUNet({ inChannels: 3, numClasses: 2, depth: 3, baseFilters: 8, seed: 9 })
    const all = (await again?.apply(next)) ?? []
    expect(all).toContain('logits')
    expect(all).toContain('dec0_conv2')
    next.dispose()
  })
})
