/**
 * Label PNGs from a folder (searched recursively): single-channel grey or palette PNGs whose values are
 * class indices, 255 = unlabeled (Pascal VOC's SegmentationClass convention; VOC's 255 "void" border is
 * unlabeled too). The classes those indices mean come from, in order: a LabelLoop manifest
 * (labelloop-labels.json, which also says which mask is which image), a VOC / CVAT labelmap.txt in the
 * folder or its parent, or nothing, in which case index n is the project's class n.
 */
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { AppError, type ImageSummary } from '../../../core/contract'
import {
  LABELS_MANIFEST,
  createImageMatcher,
  mapClassesByName,
  paletteLut,
  parseLabelmapTxt,
  parseLabelsManifest,
  remapMask,
  type ClassMapping,
  type MatchResult,
  type SourceClass,
} from '../../../core/formats'
import { decodeMaskPng } from '../../../core/imaging'
import type { ServiceContext } from '../context'
import type { ImportSink } from './label-import'
import { allImages, toPosix } from './project-images'

interface Source {
  classes: SourceClass[] | null
  /** Mask file (relative) → image relPath, from a manifest. */
  imageOf: Map<string, string>
}

async function readSource(dir: string): Promise<Source> {
  const manifestFile = join(dir, LABELS_MANIFEST)
  if (existsSync(manifestFile)) {
    const m = parseLabelsManifest(await readFile(manifestFile, 'utf8'), manifestFile)
    if (m.format !== 'index') {
      throw new AppError('INVALID_INPUT', `${manifestFile}: this folder holds colour renderings, which are not labels; export with --format index to re-import`, manifestFile)
    }
    return { classes: m.classes.map((c) => ({ id: c.index, name: c.name })), imageOf: new Map(m.images.map((i) => [i.mask.toLowerCase(), i.image])) }
  }
  for (const candidate of [join(dir, 'labelmap.txt'), join(dirname(dir), 'labelmap.txt')]) {
    if (existsSync(candidate)) return { classes: parseLabelmapTxt(await readFile(candidate, 'utf8'), candidate), imageOf: new Map() }
  }
  return { classes: null, imageOf: new Map() }
}

async function pngFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile() && /\.png$/i.test(e.name))
    .map((e) => toPosix(relative(dir, join(e.parentPath, e.name))))
    .sort()
}

/** Imports every label PNG under `dir` into the open project. */
export async function importPngFolder(ctx: ServiceContext, dir: string, sink: ImportSink): Promise<void> {
  const store = ctx.requireStore()
  const classes = store.classes()
  const source = await readSource(dir)
  const mapping: ClassMapping | undefined = source.classes ? mapClassesByName(source.classes, classes) : undefined
  const lut = paletteLut(classes.length, mapping)
  const images = allImages(store)
  const byId = new Map(images.map((i) => [i.id, i]))
  const match = createImageMatcher(images)
  const dropped = new Map<number, number>()

  for (const rel of await pngFiles(dir)) {
    const listed = source.imageOf.get(rel.toLowerCase())
    const hit: MatchResult = match(listed ?? rel)
    if (hit === null) {
      sink.report.unmatched.push({ file: rel, reason: 'no project image has this file name' })
      continue
    }
    if ('ambiguous' in hit) {
      sink.report.unmatched.push({ file: rel, reason: `matches several project images: ${hit.ambiguous.join(', ')}` })
      continue
    }
    const image = byId.get(hit.id) as ImageSummary
    try {
      const mask = decodeMaskPng(await readFile(join(dir, ...rel.split('/'))), rel)
      if (mask.width !== image.width || mask.height !== image.height) {
        throw new AppError('MASK_SIZE', `${rel} is ${mask.width}×${mask.height} but its image ${image.relPath} is ${image.width}×${image.height}`, rel)
      }
      const remapped = remapMask(mask.data, lut)
      for (const [index, n] of remapped.dropped) dropped.set(index, (dropped.get(index) ?? 0) + n)
      sink.attach(rel, image, remapped.data)
    } catch (err) {
      sink.fail(rel, err)
    }
  }

  const reported = new Set<number>()
  for (const c of mapping?.unmapped ?? []) {
    reported.add(c.id)
    sink.report.unmapped.push({ name: c.name, sourceId: c.id, annotations: null, pixels: dropped.get(c.id) ?? 0 })
  }
  for (const [index, pixels] of [...dropped].sort((a, b) => a[0] - b[0])) {
    if (reported.has(index)) continue
    const why = mapping ? "not in the folder's class list" : `the project has classes 0–${classes.length - 1}`
    sink.report.unmapped.push({ name: `index ${index} (${why})`, sourceId: index, annotations: null, pixels })
  }
}
