/**
 * Quality of one pseudo-label round on the Dubai aerial set (../shared/data/dubai-aerial): a project
 * with 6 labeled images and a pool of unlabeled ones; train; run one round from that model; accept every
 * pseudo-label; retrain from scratch with the same budget; score both models on the same held-out
 * images (per-class IoU, F1, mIoU, macro-F1). Two rounds are compared, each on its own copy of the
 * project: the app's class-balanced round (flip TTA, top fraction per class, confidence floor) and a
 * naive one that keeps every predicted pixel.
 *
 *   npx tsx bench/quality/pseudo.ts [--minutes 3] [--tile 128] [--depth 3] [--base 8] [--scale 0.5]
 *                                   [--top 0.5] [--floor 0.5] [--data ../shared/data/dubai-aerial] [--out bench/.out/pseudo]
 *
 * Images: tiles 1, 2, 3 and 6 (36 images), resized by `--scale` with sharp (masks nearest). Labeled:
 * parts 001 of tiles 1, 2, 3, 6 and 005 of tiles 1, 2; unlabeled pool: parts 002, 003, 004 and 006 of
 * each tile; held out: parts 007, 008, 009 (12 images, never in the project). Mask value 5 ("no
 * polygon") is ignored. Writes pseudo.json to --out and prints a Markdown table.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import sharp from 'sharp'
import type { RoundParams, TrainConfigPatch } from '../../core/contract'
import { contentHash, decodeImage, decodeMaskPng, encodeMaskPng, maskClassCounts, readPixels } from '../../core/imaging'
import { ProjectStore, PseudoLabelRepo } from '../../core/project'
import { selectBackend } from '../../core/train/backend'
import { deserialiseModel, modelCheckpoint, normalise, predictImage, resolveTrainConfig, RunRepo, toChannels, trainJob } from '../../core/train/loop'
import { ConfusionMatrix, computeScores } from '../../core/train/metrics'
import { roundJob } from '../../core/train/pseudo'

const CLASSES = ['land', 'building', 'road', 'vegetation', 'water']
const TILES = [1, 2, 3, 6]
const part = (t: number, p: number): string => `tile${t}_image_part_${String(p).padStart(3, '0')}`
const LABELED = [...TILES.map((t) => part(t, 1)), part(1, 5), part(2, 5)]
const POOL = TILES.flatMap((t) => [2, 3, 4, 6].map((p) => part(t, p)))
const HELD_OUT = TILES.flatMap((t) => [7, 8, 9].map((p) => part(t, p)))

interface Scaled {
  name: string
  png: Buffer
  width: number
  height: number
  mask: Uint8Array
}

async function loadScaled(dir: string, name: string, scale: number): Promise<Scaled> {
  const jpg = readFileSync(join(dir, 'images', `${name}.jpg`))
  const meta = await sharp(jpg).metadata()
  const width = Math.round((meta.width ?? 0) * scale)
  const height = Math.round((meta.height ?? 0) * scale)
  const png = await sharp(jpg).resize(width, height).png().toBuffer()
  const maskPng = readFileSync(join(dir, 'masks', `${name}.png`))
  const raw = await sharp(maskPng).extractChannel(0).resize(width, height, { kernel: 'nearest' }).raw().toBuffer()
  const mask = Uint8Array.from(raw, (v) => (v >= CLASSES.length ? 255 : v))
  return { name, png, width, height, mask }
}

async function writeProject(path: string, labeled: readonly Scaled[], pool: readonly Scaled[]): Promise<void> {
  const store = ProjectStore.create(path, 'Dubai pseudo bench', CLASSES.map((name) => ({ name })))
  try {
    for (const [i, it] of [...labeled, ...pool].entries()) {
      const d = await decodeImage(it.png, `${it.name}.png`)
      store.write(() => {
        const id = store.images.insert({
          name: `${it.name}.png`, relPath: `${it.name}.png`, contentHash: contentHash(it.png), width: d.width, height: d.height, bands: d.bands,
          bitDepth: d.bitDepth, format: d.format, original: it.png, display: d.display, displayMime: d.displayMime, thumbnail: d.thumbnail, thumbnailMime: d.thumbnailMime,
        })
        if (i < labeled.length) {
          const c = maskClassCounts(it.mask, CLASSES.length)
          store.masks.save(id, { png: encodeMaskPng(it.mask, it.width, it.height), source: 'human', labeledFraction: c.labeled / it.mask.length, classPixels: c.classPixels })
        }
      })
    }
  } finally {
    store.close()
  }
}

async function train(store: ProjectStore, patch: TrainConfigPatch, backend: { name: string; device: string }, label: string): Promise<number> {
  const runs = new RunRepo(store)
  const runId = runs.create(resolveTrainConfig(patch, 'balanced'))
  const run = await trainJob(store, { runId, resume: false, backend, onEpoch: (m) => console.error(`${label} epoch ${m.epoch}: val macroF1 ${m.macroF1.toFixed(3)} (${m.seconds.toFixed(0)} s)`) })
  console.error(`${label}: ${run.epochs.length} epochs, best ${run.best?.value.toFixed(3)} @ ${run.best?.epoch}`)
  return runId
}

async function evaluate(store: ProjectStore, runId: number, items: readonly Scaled[]): Promise<ReturnType<typeof computeScores>> {
  const ck = modelCheckpoint(store, runId)
  const model = await deserialiseModel(ck.model)
  const cm = new ConfusionMatrix(CLASSES.length)
  try {
    for (const it of items) {
      const px = await readPixels(it.png, `${it.name}.png`)
      const data = normalise(toChannels(px, ck.state.model.inChannels), ck.state.normalisation)
      const p = predictImage(model, { id: 0, name: it.name, width: px.width, height: px.height, channels: ck.state.model.inChannels, data }, { tileSize: ck.state.tileSize, numClasses: CLASSES.length })
      cm.add(p.mask, it.mask)
    }
  } finally {
    model.dispose()
  }
  return computeScores(cm)
}

/** Accepts every pseudo-label of the round as the image's label; returns pseudo-label pixel accuracy against the truth. */
function acceptAll(store: ProjectStore, roundId: number, truth: Map<string, Uint8Array>): { accepted: number; keptFraction: number; pseudoAccuracy: number; perClass: Record<string, { keptShare: number; precision: number; truthShare: number }> } {
  const repo = new PseudoLabelRepo(store)
  let kept = 0
  let total = 0
  let right = 0
  let judged = 0
  const keptOf = new Array<number>(CLASSES.length).fill(0)
  const rightOf = new Array<number>(CLASSES.length).fill(0)
  const judgedOf = new Array<number>(CLASSES.length).fill(0)
  const truthOf = new Array<number>(CLASSES.length).fill(0)
  const rows = repo.ofRound(roundId)
  for (const row of rows) {
    const mask = decodeMaskPng(repo.maps(row.id).mask, row.imageName).data
    const gt = truth.get(row.imageName.replace(/\.png$/, '')) as Uint8Array
    for (let p = 0; p < mask.length; p++) {
      total++
      if (gt[p] !== 255) truthOf[gt[p]]++
      if (mask[p] === 255) continue
      kept++
      keptOf[mask[p]]++
      if (gt[p] !== 255) {
        judged++
        judgedOf[mask[p]]++
        if (gt[p] === mask[p]) {
          right++
          rightOf[mask[p]]++
        }
      }
    }
    const c = maskClassCounts(mask, CLASSES.length)
    const previous = repo.currentRevision(row.imageId)
    const revision = store.masks.save(row.imageId, { png: encodeMaskPng(mask, row.width, row.height), source: 'pseudo-accepted', labeledFraction: c.labeled / mask.length, classPixels: c.classPixels })
    repo.decide(row.id, 'accepted', { at: new Date().toISOString(), ms: null, acceptedRevisionId: revision, previousRevisionId: previous })
  }
  const truthTotal = truthOf.reduce((a, b) => a + b, 0)
  const perClass = Object.fromEntries(CLASSES.map((name, c) => [name, {
    keptShare: kept > 0 ? keptOf[c] / kept : 0, precision: judgedOf[c] > 0 ? rightOf[c] / judgedOf[c] : 0, truthShare: truthTotal > 0 ? truthOf[c] / truthTotal : 0,
  }]))
  return { accepted: rows.length, keptFraction: kept / total, pseudoAccuracy: judged > 0 ? right / judged : 0, perClass }
}

const fmt = (s: ReturnType<typeof computeScores>): { macroF1: number; mIoU: number; iou: Record<string, number> } => ({
  macroF1: s.macroF1, mIoU: s.mIoU, iou: Object.fromEntries(s.perClass.map((c) => [CLASSES[c.index], c.iou])),
})

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '3' },
      scale: { type: 'string', default: '0.5' },
      tile: { type: 'string', default: '128' },
      depth: { type: 'string', default: '3' },
      base: { type: 'string', default: '8' },
      top: { type: 'string', default: '0.5' },
      floor: { type: 'string', default: '0.5' },
      data: { type: 'string', default: '../shared/data/dubai-aerial' },
      out: { type: 'string', default: 'bench/.out/pseudo' },
    },
  })
  const scale = Number(values.scale)
  const load = (names: readonly string[]): Promise<Scaled[]> => Promise.all(names.map((n) => loadScaled(values.data, n, scale)))
  const [labeled, pool, heldOut] = await Promise.all([load(LABELED), load(POOL), load(HELD_OUT)])
  const truth = new Map(pool.map((p) => [p.name, p.mask]))
  const choice = await selectBackend({ force: 'wasm' })
  const backend = { name: choice.name, device: choice.device }
  const patch: TrainConfigPatch = {
    preset: 'balanced', epochs: 1000, minutes: Number(values.minutes), tileSize: Number(values.tile), batchSize: 8,
    model: { depth: Number(values.depth), baseFilters: Number(values.base) }, schedule: 'constant', patience: 0, seed: 42, validationFraction: 0.2,
  }
  const dir = mkdtempSync(join(tmpdir(), 'labelloop-pseudo-bench-'))
  mkdirSync(values.out, { recursive: true })
  try {
    const base = join(dir, 'base.labelloop')
    await writeProject(base, labeled, pool)
    let store = ProjectStore.open(base)
    const baseRun = await train(store, patch, backend, 'baseline')
    const before = await evaluate(store, baseRun, heldOut)
    store.close()
    const rounds: Record<string, RoundParams> = {
      'class-balanced': { tta: true, mcDropout: 0, topFraction: Number(values.top), floor: Number(values.floor), precisionScaled: true },
      'keep-all': { tta: false, mcDropout: 0, topFraction: 1, floor: 0, precisionScaled: false },
    }
    const results: Record<string, unknown>[] = []
    for (const [name, params] of Object.entries(rounds)) {
      const path = join(dir, `${name}.labelloop`)
      copyFileSync(base, path)
      store = ProjectStore.open(path)
      const started = performance.now()
      const round = await roundJob(store, { runId: baseRun, params })
      const roundSeconds = (performance.now() - started) / 1000
      const acc = acceptAll(store, round.roundId, truth)
      console.error(`${name}: round ${round.images} images in ${roundSeconds.toFixed(0)} s, kept ${(acc.keptFraction * 100).toFixed(1)} %, pseudo-label accuracy ${(acc.pseudoAccuracy * 100).toFixed(1)} %`)
      const thresholds = new PseudoLabelRepo(store).round(round.roundId).params.thresholds
      const run = await train(store, patch, backend, `${name} retrain`)
      const after = await evaluate(store, run, heldOut)
      store.close()
      results.push({ round: name, params, thresholds, roundSeconds: Math.round(roundSeconds), ...acc, after: fmt(after) })
    }
    const report = { scale, minutes: Number(values.minutes), labeled: LABELED.length, pool: POOL.length, heldOut: HELD_OUT.length, backend: backend.name, before: fmt(before), rounds: results }
    writeFileSync(join(values.out, 'pseudo.json'), JSON.stringify(report, null, 2))
    const row = (label: string, s: { macroF1: number; mIoU: number; iou: Record<string, number> }): string =>
      `| ${label} | ${s.macroF1.toFixed(3)} | ${s.mIoU.toFixed(3)} | ${CLASSES.map((c) => s.iou[c].toFixed(3)).join(' | ')} |`
    console.log(`| model | macro-F1 | mIoU | ${CLASSES.join(' | ')} |`)
    console.log(`|---|---|---|${CLASSES.map(() => '---').join('|')}|`)
    console.log(row('6 labeled (before)', fmt(before)))
    for (const r of results) console.log(row(`+ ${String(r.round)} round, all accepted`, r.after as ReturnType<typeof fmt>))
    for (const r of results) {
      const pc = r.perClass as Record<string, { keptShare: number; precision: number; truthShare: number }>
      console.log(`\n${String(r.round)} pseudo-labels: ${CLASSES.map((c) => `${c} ${(pc[c].keptShare * 100).toFixed(1)} % of kept (truth ${(pc[c].truthShare * 100).toFixed(1)} %), precision ${(pc[c].precision * 100).toFixed(0)} %`).join('; ')}`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
