/**
 * Prepares the two real sets of ../shared/data for the LabelLoop-vs-PyTorch comparison (issue 15, part 3)
 * under bench/.out/quality-data/<set>/ (git-ignored; nothing is copied into the repository):
 *
 *   labeled/images, labeled/masks    the 10 images a user has labeled (masks: index PNGs, 255 = ignore)
 *   unlabeled/images                 the rest of the training pool (imported without masks)
 *   unlabeled/truth                  their true masks, only to score pseudo-labels; never imported
 *   eval/images, eval/masks          held out, never imported into the training project
 *   split.json                       classes, rare class, file lists and class shares (read by compare.ts)
 *
 * Images are symlinks to the originals; masks are rewritten with fast-png (dubai: value 5 "no polygon"
 * becomes 255). The split is a fixed rule, the same on every machine:
 *
 * - isbi2012-membrane: labeled = even slices 00..18, unlabeled = odd slices 01..19, eval = 20..29 (a
 *   contiguous block: neighbouring slices are strongly correlated). Rare class: membrane.
 * - dubai-aerial, tiles 1, 2, 3, 6 only (≤ 1,100 px): eval = parts 006..009 of every tile (16 images,
 *   the lower part of each tile's grid); parts 001..005 in tile-major order alternate labeled / unlabeled
 *   (10 + 10, spread over all four tiles). Rare class: smallest pixel share in the labeled masks.
 *
 *   node_modules/.bin/tsx bench/quality/datasets.ts [--data ../shared/data] [--out bench/.out/quality-data] [--sets a,b]
 */
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { decode, encode } from 'fast-png'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** One prepared set as compare.ts and torch_baseline.py read it (split.json). */
export interface SplitInfo {
  set: string
  classes: string[]
  rareClass: { index: number; name: string; rule: string }
  /** Image channels the model sees (1 for grey slices, 3 for RGB). */
  channels: number
  labeled: string[]
  unlabeled: string[]
  eval: string[]
  /** Share of labeled (non-255) pixels per class, in the labeled and the eval masks. */
  labeledShares: number[]
  evalShares: number[]
}

interface SetSpec {
  classes: string[]
  channels: number
  imageExt: string
  labeled: string[]
  unlabeled: string[]
  eval: string[]
  /** Maps a raw mask value to the stored one (255 = ignored). */
  remap: (v: number) => number
  /** Rare-class index given the labeled shares, and the rule in words. */
  rare: (shares: number[]) => { index: number; rule: string }
}

const pad2 = (n: number): string => String(n).padStart(2, '0')
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i)

function isbiSpec(): SetSpec {
  return {
    classes: ['interior', 'membrane'],
    channels: 1,
    imageExt: '.png',
    labeled: range(0, 19).filter((i) => i % 2 === 0).map(pad2),
    unlabeled: range(0, 19).filter((i) => i % 2 === 1).map(pad2),
    eval: range(20, 29).map(pad2),
    remap: (v) => (v <= 1 ? v : 255),
    rare: () => ({ index: 1, rule: 'fixed: membrane (thin structures, 22 % of pixels)' }),
  }
}

function dubaiSpec(): SetSpec {
  const tiles = [1, 2, 3, 6]
  const name = (t: number, p: number): string => `tile${t}_image_part_${String(p).padStart(3, '0')}`
  const pool = tiles.flatMap((t) => range(1, 5).map((p) => name(t, p)))
  return {
    classes: ['land', 'building', 'road', 'vegetation', 'water'],
    channels: 3,
    imageExt: '.jpg',
    labeled: pool.filter((_, i) => i % 2 === 0),
    unlabeled: pool.filter((_, i) => i % 2 === 1),
    eval: tiles.flatMap((t) => range(6, 9).map((p) => name(t, p))),
    remap: (v) => (v <= 4 ? v : 255),
    rare: (shares) => {
      const index = shares.reduce((best, s, i) => (s < shares[best] ? i : best), 0)
      return { index, rule: 'smallest pixel share in the 10 labeled masks' }
    },
  }
}

const SPECS: Record<string, () => SetSpec> = { 'isbi2012-membrane': isbiSpec, 'dubai-aerial': dubaiSpec }

/** Reads a single-channel index mask, applies `remap`, and returns it with its width and height. */
function readMask(file: string, remap: (v: number) => number): { width: number; height: number; data: Uint8Array } {
  const png = decode(readFileSync(file))
  if (png.channels !== 1 || png.depth !== 8) throw new Error(`${file}: expected an 8-bit single-channel PNG, got ${png.channels} channels, depth ${png.depth}`)
  const data = Uint8Array.from(png.data, remap)
  return { width: png.width, height: png.height, data }
}

/** Class shares of all non-255 pixels of `masks`. */
function shares(masks: readonly Uint8Array[], classes: number): number[] {
  const counts = new Array<number>(classes).fill(0)
  for (const m of masks) for (const v of m) if (v < classes) counts[v]++
  const total = counts.reduce((a, b) => a + b, 0)
  return counts.map((c) => (total > 0 ? c / total : 0))
}

/** Writes one part (labeled, unlabeled or eval) of a set, its masks into `maskDir`; returns the converted masks. */
function writePart(spec: SetSpec, src: string, dst: string, names: readonly string[], maskDir: 'masks' | 'truth'): Uint8Array[] {
  mkdirSync(join(dst, 'images'), { recursive: true })
  mkdirSync(join(dst, maskDir), { recursive: true })
  const masks: Uint8Array[] = []
  for (const n of names) {
    symlinkSync(join(src, 'images', n + spec.imageExt), join(dst, 'images', n + spec.imageExt))
    const m = readMask(join(src, 'masks', `${n}.png`), spec.remap)
    writeFileSync(join(dst, maskDir, `${n}.png`), encode({ width: m.width, height: m.height, data: m.data, channels: 1, depth: 8 }))
    masks.push(m.data)
  }
  return masks
}

/** Rebuilds bench/.out/quality-data/<set>/ from scratch and returns what split.json records. */
export function prepareSet(set: string, dataDir: string, outDir: string): SplitInfo {
  const make = SPECS[set]
  if (!make) throw new Error(`unknown set "${set}"; known: ${Object.keys(SPECS).join(', ')}`)
  const spec = make()
  const src = join(dataDir, set)
  const dst = join(outDir, set)
  rmSync(dst, { recursive: true, force: true })
  const labeledMasks = writePart(spec, src, join(dst, 'labeled'), spec.labeled, 'masks')
  writePart(spec, src, join(dst, 'unlabeled'), spec.unlabeled, 'truth')
  const evalMasks = writePart(spec, src, join(dst, 'eval'), spec.eval, 'masks')
  const labeledShares = shares(labeledMasks, spec.classes.length)
  const rare = spec.rare(labeledShares)
  const info: SplitInfo = {
    set,
    classes: spec.classes,
    rareClass: { index: rare.index, name: spec.classes[rare.index], rule: rare.rule },
    channels: spec.channels,
    labeled: spec.labeled,
    unlabeled: spec.unlabeled,
    eval: spec.eval,
    labeledShares,
    evalShares: shares(evalMasks, spec.classes.length),
  }
  writeFileSync(join(dst, 'split.json'), `${JSON.stringify(info, null, 2)}\n`)
  return info
}

function pct(v: number): string {
  return `${(100 * v).toFixed(2)} %`
}

function main(): void {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: join(ROOT, '..', 'shared', 'data') },
      out: { type: 'string', default: join(ROOT, 'bench', '.out', 'quality-data') },
      sets: { type: 'string', default: Object.keys(SPECS).join(',') },
    },
  })
  for (const set of values.sets.split(',').filter(Boolean)) {
    const info = prepareSet(set, resolve(values.data), resolve(values.out))
    console.log(`${set}: ${info.labeled.length} labeled, ${info.unlabeled.length} unlabeled, ${info.eval.length} eval → ${join(resolve(values.out), set)}`)
    console.log(`  labeled:   ${info.labeled.join(' ')}`)
    console.log(`  unlabeled: ${info.unlabeled.join(' ')}`)
    console.log(`  eval:      ${info.eval.join(' ')}`)
    for (const [i, name] of info.classes.entries()) {
      console.log(`  ${String(i).padStart(2)} ${name.padEnd(11)} labeled ${pct(info.labeledShares[i]).padStart(8)}   eval ${pct(info.evalShares[i]).padStart(8)}`)
    }
    console.log(`  rare class: ${info.rareClass.index} ${info.rareClass.name} (${info.rareClass.rule})`)
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main()
