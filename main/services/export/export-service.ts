/**
 * `export:run`: writes the open project's current masks to a folder as index PNGs, colour PNGs with a
 * legend, or one COCO JSON. Which masks: `human` = current masks drawn or imported by people (source
 * 'human' or 'import'), `pseudo` = current masks that are accepted pseudo-labels, `both` = every current
 * mask. The CURRENT mask decides: an image whose latest revision is an accepted pseudo-label is not in a
 * `human` export, even if a person labeled it earlier. Masks with no labeled pixel are skipped.
 */
import { mkdir, rename, stat, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { encode } from 'fast-png'
import sharp from 'sharp'
import { AppError, type ExportResult, type ImageSummary, type MaskSource, type ParsedInput } from '../../../core/contract'
import { CocoWriter, LABELS_MANIFEST, encodeColorMaskPng, legendSvg, maskBaseNames, normalizePath, type LabelsManifest } from '../../../core/formats'
import { decodeMaskPng, encodeGeoTiffMask, isAffineGeoReference, readGeoReference, readGeoReferenceFile } from '../../../core/imaging'
import type { ProjectStore } from '../../../core/project'
import type { ServiceContext } from '../context'
import { allImages } from './project-images'

type ExportInput = ParsedInput<'export:run'>

const SOURCES: Record<ExportInput['source'], readonly MaskSource[]> = {
  human: ['human', 'import'],
  pseudo: ['pseudo-accepted'],
  both: ['human', 'import', 'pseudo-accepted'],
}

/** Names the export writes itself; masks never take them. */
const RESERVED = ['legend', 'annotations', LABELS_MANIFEST.replace(/\.json$/, '')]

/** A single-channel 8-bit greyscale PNG of class indices: every tool (PIL, OpenCV, GDAL) reads the indices. */
function indexPng(data: Uint8Array, width: number, height: number): Buffer {
  const png = encode({ width, height, data, channels: 1, depth: 8 })
  return Buffer.from(png.buffer, png.byteOffset, png.byteLength)
}

async function prepareDir(dir: string): Promise<void> {
  const existing = await stat(dir).catch(() => null)
  if (existing && !existing.isDirectory()) throw new AppError('IO', `${dir} is a file; exports go to a folder`, dir)
  await mkdir(dir, { recursive: true })
}

class ExportWriter {
  readonly files: string[] = []
  constructor(private readonly dir: string) {}

  /** Writes beside the target and renames into place, so a file under its final name is never half written. */
  async write(rel: string, bytes: Buffer | string): Promise<void> {
    const file = join(this.dir, ...rel.split('/'))
    await mkdir(dirname(file), { recursive: true })
    const partial = `${file}.${process.pid}.partial`
    await writeFile(partial, bytes)
    await rename(partial, file)
    this.files.push(rel)
  }
}

/** Georeferenced `.tif` mask beside the PNG when the image is a TIFF with affine georeferencing. */
async function writeGeoMask(out: ExportWriter, store: ProjectStore, image: ImageSummary, base: string, data: Uint8Array): Promise<void> {
  if (!/\.tiff?$/i.test(image.relPath)) return
  // A linked original (too large to copy) gives its georeferencing from its header, read from the file.
  const src = store.images.originalSource(image.id)
  if (src.format !== 'tiff') return
  const georef = await (src.kind === 'file' ? readGeoReferenceFile(src.path, image.relPath) : readGeoReference(src.bytes, image.relPath)).catch(() => null)
  if (!isAffineGeoReference(georef)) return
  await out.write(`${base}.tif`, await encodeGeoTiffMask(data, image.width, image.height, georef))
}

/** Runs one export; see the module comment for which masks are chosen. */
export async function runExport(ctx: ServiceContext, input: ExportInput): Promise<ExportResult> {
  const store = ctx.requireStore()
  const dir = resolve(input.dir)
  await prepareDir(dir)
  const classes = store.classes()
  const images = allImages(store)
  const names = maskBaseNames(images, RESERVED)
  const wanted = SOURCES[input.source]
  const out = new ExportWriter(dir)
  const coco = input.format === 'coco' ? new CocoWriter(classes) : null
  const manifest: LabelsManifest['images'] = []
  const skipped: ExportResult['skipped'] = []
  let written = 0

  for (const image of images) {
    const current = store.masks.current(image.id)
    const skip = (reason: string): void => void skipped.push({ imageId: image.id, file: image.relPath, reason })
    if (!current) {
      skip('no mask')
      continue
    }
    if (!wanted.includes(current.source)) {
      skip(`its current mask is ${current.source === 'pseudo-accepted' ? 'an accepted pseudo-label' : 'a human label'}`)
      continue
    }
    if (current.labeledFraction <= 0) {
      skip('its mask has no labeled pixel')
      continue
    }
    const mask = decodeMaskPng(current.png, `mask of ${image.relPath}`)
    const base = names.get(image.id) ?? String(image.id)
    if (coco) {
      coco.add({ imageId: image.id, fileName: normalizePath(image.relPath), width: mask.width, height: mask.height, data: mask.data })
    } else {
      const png = input.format === 'index' ? indexPng(mask.data, mask.width, mask.height) : encodeColorMaskPng(mask.data, mask.width, mask.height, classes)
      await out.write(`${base}.png`, png)
      manifest.push({ mask: `${base}.png`, image: image.relPath })
      await writeGeoMask(out, store, image, base, mask.data)
    }
    written++
  }

  if (coco) {
    await out.write('annotations.json', JSON.stringify(coco.dataset(`${store.name}: ${input.source} labels exported by LabelLoop`)))
  } else {
    const body: LabelsManifest = { format: input.format === 'index' ? 'index' : 'color', classes, images: manifest }
    await out.write(LABELS_MANIFEST, `${JSON.stringify(body, null, 2)}\n`)
    if (input.format === 'color') {
      await out.write('legend.png', await sharp(Buffer.from(legendSvg(classes, store.name))).png().toBuffer())
    }
  }
  return { dir, written, files: out.files, skipped }
}
