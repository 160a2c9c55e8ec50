/**
 * Quality benchmark for class-imbalance handling on the Dubai aerial set (../shared/data/dubai-aerial):
 * trains the same U-Net with several loss / sampling settings under the same wall-clock budget on 12
 * labeled images and scores the best checkpoint on 24 other images (per-class IoU, F1, mIoU, macro-F1).
 *
 *   npx tsx bench/quality/run.ts [--epochs 6 | --minutes 4] [--tile 128] [--depth 3] [--base 8] [--methods plain,median-ce,focal,ce-dice-pipeline]
 *                                [--scale 0.5] [--data ../shared/data/dubai-aerial] [--seed 42] [--out bench/.out/quality]
 *
 * Images: tiles 1, 2, 3 and 6 (36 images of 509–859 px; tiles 4, 5, 7, 8 are left out to keep the run
 * short), downscaled by `--scale` (2×2 mean for pixels, nearest for masks). Training: parts 001, 005,
 * 009 of each tile; evaluation: the other 24. Mask value 5 ("no polygon") is mapped to 255 (ignored),
 * leaving 5 classes. The budget is a number of epochs (same training steps for every method) or, with
 * `--minutes`, wall-clock time. Writes one JSON per method to --out; summarise.ts makes the table.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { TrainConfig, type ClassDef, type TrainConfigPatch } from '../../core/contract'
import { decodeMaskPng, readPixels } from '../../core/imaging'
import { selectBackend } from '../../core/train/backend'
import { deserialiseModel, normalise, predictImage, resolveTrainConfig, runTrainingLoop, toChannels, type CheckpointData, type PixelImage, type TrainingSource } from '../../core/train/loop'
import { ConfusionMatrix, computeScores } from '../../core/train/metrics'

const CLASSES = ['land', 'building', 'road', 'vegetation', 'water']
const TILES = [1, 2, 3, 6]
const TRAIN_PARTS = [1, 5, 9]

/** The compared settings; everything not named here is the same for all (see `shared`). */
const METHODS: Record<string, TrainConfigPatch> = {
  plain: { preset: 'plain', loss: { name: 'ce', classWeights: 'none' }, sampling: 'uniform', rareCrop: 0, copyPaste: 0 },
  'median-ce': { preset: 'plain', loss: { name: 'weighted-ce', classWeights: 'median' }, sampling: 'uniform', rareCrop: 0, copyPaste: 0 },
  focal: { preset: 'plain', loss: { name: 'focal', classWeights: 'none', focalGamma: 2 }, sampling: 'uniform', rareCrop: 0, copyPaste: 0 },
  'ce-dice-pipeline': { preset: 'balanced', loss: { name: 'ce-dice', classWeights: 'median' }, sampling: 'class-aware', rareCrop: 0.3, copyPaste: 0.3 },
  balanced: { preset: 'balanced' },
  'rare-objects': { preset: 'rare-objects' },
}

interface Item {
  name: string
  pixels: PixelImage
  mask: Uint8Array
}

/** Halves an image (mean of 2×2 blocks) and its mask (top-left pixel of each block) `halvings` times. */
function downscale(item: Item, halvings: number): Item {
  let { pixels, mask } = item
  for (let h = 0; h < halvings; h++) {
    const w = Math.floor(pixels.width / 2)
    const hh = Math.floor(pixels.height / 2)
    const c = pixels.channels
    const data = new Float32Array(w * hh * c)
    const m = new Uint8Array(w * hh)
    for (let y = 0; y < hh; y++) {
      for (let x = 0; x < w; x++) {
        const at = (dx: number, dy: number): number => (2 * y + dy) * pixels.width + 2 * x + dx
        m[y * w + x] = mask[at(0, 0)]
        for (let k = 0; k < c; k++) data[(y * w + x) * c + k] = (pixels.data[at(0, 0) * c + k] + pixels.data[at(1, 0) * c + k] + pixels.data[at(0, 1) * c + k] + pixels.data[at(1, 1) * c + k]) / 4
      }
    }
    pixels = { width: w, height: hh, channels: c, data }
    mask = m
  }
  return { name: item.name, pixels, mask }
}

async function load(dir: string, names: readonly string[], halvings: number): Promise<Item[]> {
  return Promise.all(
    names.map(async (name) => {
      const px = await readPixels(readFileSync(join(dir, 'images', `${name}.jpg`)), `${name}.jpg`)
      const mask = decodeMaskPng(readFileSync(join(dir, 'masks', `${name}.png`)), `${name}.png`).data.map((v) => (v >= CLASSES.length ? 255 : v))
      return downscale({ name, pixels: { width: px.width, height: px.height, channels: px.channels, data: px.data }, mask }, halvings)
    }),
  )
}

function source(items: readonly Item[]): TrainingSource {
  const classes: ClassDef[] = CLASSES.map((name, index) => ({ index, name, color: '#000000' }))
  return {
    classes: () => classes,
    labeledImages: async () => items.map((it, i) => ({ id: i + 1, name: it.name, width: it.pixels.width, height: it.pixels.height })),
    pixels: async (id) => items[id - 1].pixels,
    mask: async (id) => items[id - 1].mask,
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      epochs: { type: 'string', default: '6' },
      minutes: { type: 'string' },
      scale: { type: 'string', default: '0.5' },
      tile: { type: 'string', default: '128' },
      depth: { type: 'string', default: '3' },
      base: { type: 'string', default: '8' },
      methods: { type: 'string', default: 'plain,median-ce,focal,ce-dice-pipeline' },
      data: { type: 'string', default: '../shared/data/dubai-aerial' },
      seed: { type: 'string', default: '42' },
      out: { type: 'string', default: 'bench/.out/quality' },
    },
  })
  const dir = values.data
  const all = readdirSync(join(dir, 'images')).map((f) => f.replace(/\.jpg$/, '')).filter((n) => TILES.some((t) => n.startsWith(`tile${t}_`))).sort()
  const isTrain = (n: string): boolean => TRAIN_PARTS.some((p) => n.endsWith(`_${String(p).padStart(3, '0')}`))
  const halvings = Math.round(-Math.log2(Number(values.scale)))
  const train = await load(dir, all.filter(isTrain), halvings)
  const evalSet = await load(dir, all.filter((n) => !isTrain(n)), halvings)
  const backend = await selectBackend({ force: 'wasm' })
  mkdirSync(values.out, { recursive: true })
  const minutes = values.minutes ? Number(values.minutes) : null
  console.error(`backend ${backend.name}; train ${train.length} images, eval ${evalSet.length} at scale 1/${2 ** halvings}; budget ${minutes ? `${minutes} min` : `${values.epochs} epochs`} per method`)
  const shared: TrainConfigPatch = {
    epochs: minutes ? 1000 : Number(values.epochs), minutes, tileSize: Number(values.tile), batchSize: 8, model: { depth: Number(values.depth), baseFilters: Number(values.base) },
    learningRate: 1e-3, schedule: 'constant', patience: 0, augment: 'light', seed: Number(values.seed), validationFraction: 0.2,
  }
  for (const method of values.methods.split(',')) {
    const patch = METHODS[method]
    if (!patch) throw new Error(`unknown method ${method}; known: ${Object.keys(METHODS).join(', ')}`)
    const config: TrainConfig = resolveTrainConfig({ ...shared, ...patch, loss: { ...patch.loss } }, 'balanced')
    let best: CheckpointData | null = null
    const started = performance.now()
    const run = await runTrainingLoop({
      runId: 1, config, source: source(train),
      onEpoch: (m) => console.error(`${method} epoch ${m.epoch}: loss ${m.trainLoss.toFixed(3)} val macroF1 ${m.macroF1.toFixed(3)} (${m.seconds.toFixed(0)} s)`),
      saveCheckpoint: (c) => {
        if (c.isBest) best = c
      },
    })
    const trainSeconds = (performance.now() - started) / 1000
    const chosen = best as CheckpointData | null
    if (!chosen) throw new Error(`${method}: no checkpoint`)
    const model = await deserialiseModel(chosen.model)
    const cm = new ConfusionMatrix(CLASSES.length)
    for (const it of evalSet) {
      const data = normalise(toChannels(it.pixels, chosen.state.model.inChannels), chosen.state.normalisation)
      const p = predictImage(model, { id: 0, name: it.name, width: it.pixels.width, height: it.pixels.height, channels: chosen.state.model.inChannels, data }, { tileSize: config.tileSize, numClasses: CLASSES.length })
      cm.add(p.mask, it.mask)
    }
    model.dispose()
    const s = computeScores(cm)
    const row = {
      method, scale: 1 / 2 ** halvings, tileSize: config.tileSize, loss: config.loss.name, classWeights: config.loss.classWeights, sampling: config.sampling, rareCrop: config.rareCrop, copyPaste: config.copyPaste,
      epochs: run.state.epoch, bestEpoch: chosen.epoch, trainSeconds: Math.round(trainSeconds),
      perClass: s.perClass.map((c) => ({ name: CLASSES[c.index], iou: c.iou, f1: c.f1 })), mIoU: s.mIoU, macroF1: s.macroF1, pixelAccuracy: s.pixelAccuracy,
    }
    writeFileSync(join(values.out, `${method}.json`), JSON.stringify(row, null, 2))
    console.error(`${method}: mIoU ${s.mIoU.toFixed(3)} macroF1 ${s.macroF1.toFixed(3)}`)
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
