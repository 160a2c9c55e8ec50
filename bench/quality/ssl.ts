/**
 * Quality benchmark for self-supervised pretraining on the Dubai aerial set (../shared/data/dubai-aerial):
 * 6 labeled images, every other image unlabeled. SimCLR pretraining of the U-Net encoder on all images,
 * then the same fine-tuning (same epochs = same steps, same seed) from scratch and from the pretrained
 * encoder; both scored on the images that are not labeled (per-class IoU, F1, mIoU, macro-F1).
 *
 *   npx tsx bench/quality/ssl.ts [--pretrain-epochs 8] [--steps 40] [--epochs 10] [--tile 128] [--depth 3] [--base 16]
 *                                [--scale 0.5] [--data ../shared/data/dubai-aerial] [--seed 42] [--out bench/.out/ssl] [--only scratch|pretrained]
 *
 * `--only` runs one arm (to run the two side by side in two processes; each writes <arm>.json).
 *
 * Images: tiles 1, 2, 3 and 6 (36 images of 509–859 px), downscaled by `--scale` (2×2 mean; masks
 * nearest). Labeled: part 001 of each tile and part 005 of tiles 1 and 2. Mask value 5 ("no polygon")
 * is ignored (255), leaving 5 classes. Writes result.json to --out and prints a Markdown table.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { ClassDef, TrainConfig } from '../../core/contract'
import { decodeMaskPng, readPixels } from '../../core/imaging'
import { selectBackend } from '../../core/train/backend'
import { deserialiseModel, normalise, predictImage, resolveTrainConfig, runTrainingLoop, toChannels, type CheckpointData, type PixelImage, type TrainingSource } from '../../core/train/loop'
import { ConfusionMatrix, computeScores } from '../../core/train/metrics'
import type { ModelInit } from '../../core/train/ssl/init'
import { measureAll } from '../../core/train/ssl/pretrain-job'
import { pretrainEncoder } from '../../core/train/ssl/pretrain'
import { loadPretrainedEncoder, type PretrainedEncoder } from '../../core/train/ssl/pretrained'

const CLASSES = ['land', 'building', 'road', 'vegetation', 'water']
const TILES = [1, 2, 3, 6]
const LABELED = ['tile1_image_part_001', 'tile2_image_part_001', 'tile3_image_part_001', 'tile6_image_part_001', 'tile1_image_part_005', 'tile2_image_part_005']

interface Item {
  name: string
  pixels: PixelImage
  mask: Uint8Array
}

/** Halves an image (mean of 2×2 blocks) and its mask (top-left pixel of each block). */
function halve(item: Item): Item {
  const { pixels: p, mask } = item
  const w = Math.floor(p.width / 2)
  const h = Math.floor(p.height / 2)
  const c = p.channels
  const data = new Float32Array(w * h * c)
  const m = new Uint8Array(w * h)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const at = (dx: number, dy: number): number => (2 * y + dy) * p.width + 2 * x + dx
      m[y * w + x] = mask[at(0, 0)]
      for (let k = 0; k < c; k++) data[(y * w + x) * c + k] = (p.data[at(0, 0) * c + k] + p.data[at(1, 0) * c + k] + p.data[at(0, 1) * c + k] + p.data[at(1, 1) * c + k]) / 4
    }
  }
  return { name: item.name, pixels: { width: w, height: h, channels: c, data }, mask: m }
}

async function load(dir: string, name: string, halvings: number): Promise<Item> {
  const px = await readPixels(readFileSync(join(dir, 'images', `${name}.jpg`)), `${name}.jpg`)
  const mask = decodeMaskPng(readFileSync(join(dir, 'masks', `${name}.png`)), `${name}.png`).data.map((v) => (v >= CLASSES.length ? 255 : v))
  let item: Item = { name, pixels: { width: px.width, height: px.height, channels: px.channels, data: px.data }, mask }
  for (let i = 0; i < halvings; i++) item = halve(item)
  return item
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

/** Fine-tunes with `init` (null: from scratch) and scores the best checkpoint on `evalSet`. */
async function fineTune(config: TrainConfig, labeled: readonly Item[], evalSet: readonly Item[], init: ModelInit | null, tag: string): Promise<Record<string, unknown>> {
  let best: CheckpointData | null = null
  const started = performance.now()
  const run = await runTrainingLoop({
    runId: 1, config, source: source(labeled), init,
    onEpoch: (m) => console.error(`${tag} epoch ${m.epoch}: loss ${m.trainLoss.toFixed(3)} val macroF1 ${m.macroF1.toFixed(3)} (${m.seconds.toFixed(0)} s)`),
    saveCheckpoint: (c) => {
      if (c.isBest) best = c
    },
  })
  const seconds = (performance.now() - started) / 1000
  const chosen = best as CheckpointData | null
  if (!chosen) throw new Error(`${tag}: no checkpoint`)
  const model = await deserialiseModel(chosen.model)
  const cm = new ConfusionMatrix(CLASSES.length)
  for (const it of evalSet) {
    const channels = chosen.state.model.inChannels
    const data = normalise(toChannels(it.pixels, channels), chosen.state.normalisation)
    const p = predictImage(model, { id: 0, name: it.name, width: it.pixels.width, height: it.pixels.height, channels, data }, { tileSize: config.tileSize, numClasses: CLASSES.length })
    cm.add(p.mask, it.mask)
  }
  model.dispose()
  const s = computeScores(cm)
  console.error(`${tag}: mIoU ${s.mIoU.toFixed(3)} macroF1 ${s.macroF1.toFixed(3)}`)
  return {
    init: tag, epochs: run.state.epoch, bestEpoch: chosen.epoch, fineTuneSeconds: Math.round(seconds),
    perClass: s.perClass.map((c) => ({ name: CLASSES[c.index], iou: c.iou, f1: c.f1 })), mIoU: s.mIoU, macroF1: s.macroF1,
  }
}

async function main(): Promise<void> {
  const { values: v } = parseArgs({
    options: {
      'pretrain-epochs': { type: 'string', default: '8' },
      steps: { type: 'string', default: '40' },
      'pretrain-batch': { type: 'string', default: '16' },
      temperature: { type: 'string', default: '0.5' },
      epochs: { type: 'string', default: '10' },
      tile: { type: 'string', default: '128' },
      depth: { type: 'string', default: '3' },
      base: { type: 'string', default: '16' },
      scale: { type: 'string', default: '0.5' },
      data: { type: 'string', default: '../shared/data/dubai-aerial' },
      seed: { type: 'string', default: '42' },
      out: { type: 'string', default: 'bench/.out/ssl' },
      only: { type: 'string' },
    },
  })
  const names = readdirSync(join(v.data, 'images')).map((f) => f.replace(/\.jpg$/, '')).filter((n) => TILES.some((t) => n.startsWith(`tile${t}_`))).sort()
  const halvings = Math.round(-Math.log2(Number(v.scale)))
  const all = await Promise.all(names.map((n) => load(v.data, n, halvings)))
  const labeled = all.filter((it) => LABELED.includes(it.name))
  const unlabeled = all.filter((it) => !LABELED.includes(it.name))
  const backend = await selectBackend({ force: 'wasm' })
  const depth = Number(v.depth) as 3 | 4 | 5
  const tile = Number(v.tile)
  const seed = Number(v.seed)
  const env = { backend: `${backend.name} (${backend.device})`, cpus: cpus().length, loadAtStart: loadavg().map((l) => Number(l.toFixed(1))) }
  console.error(`${JSON.stringify(env)}; ${labeled.length} labeled, ${unlabeled.length} unlabeled images at scale 1/${2 ** halvings}`)

  const config = resolveTrainConfig({
    epochs: Number(v.epochs), tileSize: tile, batchSize: 8, model: { depth, baseFilters: Number(v.base), dropout: 0.1 },
    learningRate: 1e-3, schedule: 'constant', patience: 0, seed, validationFraction: 0.2, preset: 'balanced',
  }, 'balanced')
  mkdirSync(v.out, { recursive: true })
  if (v.only === 'scratch') {
    const scratch = await fineTune(config, labeled, unlabeled, null, 'scratch')
    writeFileSync(join(v.out, 'scratch.json'), JSON.stringify({ env: { ...env, loadAtEnd: loadavg() }, run: scratch }, null, 2))
    return
  }
  const spec = { inChannels: 3, depth, baseFilters: Number(v.base), batchNorm: true }
  const normalisation = measureAll(all.map((it) => it.pixels), 3)
  const pre = await pretrainEncoder({
    images: all.map((it) => it.pixels), normalisation, spec, epochs: Number(v['pretrain-epochs']), batchSize: Number(v['pretrain-batch']),
    tileSize: tile, temperature: Number(v.temperature), lr: 1e-3, stepsPerEpoch: Number(v.steps), seed,
    onProgress: (p) => {
      if (p.step === p.steps) console.error(`pretrain epoch ${p.epoch}/${p.epochs}: NT-Xent ${p.loss.toFixed(3)}, ${p.imagesPerSecond.toFixed(1)} tiles/s`)
    },
  })
  const encoder = pre.encoder as PretrainedEncoder
  const init: ModelInit = { from: 'pretrained encoder', channels: 3, normalisation, apply: (model) => loadPretrainedEncoder(model, encoder) }

  const pretraining = { epochs: encoder.epochs, stepsPerEpoch: Number(v.steps), batch: Number(v['pretrain-batch']), tile, temperature: encoder.temperature, losses: encoder.losses, seconds: Math.round(encoder.seconds) }
  console.error(`pretraining: ${JSON.stringify(pretraining)}`)
  if (v.only === 'pretrained') {
    const run = await fineTune(config, labeled, unlabeled, init, 'pretrained')
    writeFileSync(join(v.out, 'pretrained.json'), JSON.stringify({ env: { ...env, loadAtEnd: loadavg() }, pretraining, run }, null, 2))
    return
  }
  const scratch = await fineTune(config, labeled, unlabeled, null, 'scratch')
  const pretrained = await fineTune(config, labeled, unlabeled, init, 'pretrained')
  const result = {
    env: { ...env, loadAtEnd: loadavg().map((l) => Number(l.toFixed(1))) },
    data: { labeled: labeled.map((it) => it.name), evaluated: unlabeled.length, pretrainedOn: all.length, scale: 1 / 2 ** halvings },
    pretraining,
    fineTune: { epochs: config.epochs, tile, batch: config.batchSize, preset: config.preset, loss: config.loss.name, model: config.model },
    runs: [scratch, pretrained],
  }
  writeFileSync(join(v.out, 'result.json'), JSON.stringify(result, null, 2))
  const row = (r: Record<string, unknown>): string => {
    const pc = r.perClass as { iou: number }[]
    return `| ${String(r.init)} | ${pc.map((c) => c.iou.toFixed(3)).join(' | ')} | ${(r.mIoU as number).toFixed(3)} | ${(r.macroF1 as number).toFixed(3)} |`
  }
  console.log(`| init | ${CLASSES.map((c) => `IoU ${c}`).join(' | ')} | mIoU | macro-F1 |`)
  console.log(`|---|${CLASSES.map(() => '---').join('|')}|---|---|`)
  console.log(row(scratch))
  console.log(row(pretrained))
  console.log(`\npretraining: ${encoder.epochs} epochs × ${v.steps} steps × ${v['pretrain-batch']} tiles (2 views each) in ${Math.round(encoder.seconds)} s; NT-Xent ${encoder.losses.map((l) => l.toFixed(3)).join(' → ')}`)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
