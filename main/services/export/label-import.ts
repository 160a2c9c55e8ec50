/**
 * `labels:import`: attaches labels made in other tools to the open project's images, each as a new mask
 * revision with source 'import' (the previous mask stays in the history). COCO JSON files and folders of
 * Pascal-VOC-style palette / index PNGs; classes map by name (core/formats/class-map), files match
 * images by name (core/formats/match). Nothing that cannot be placed is silently dropped: it is listed
 * as unmapped (classes), unmatched (files) or failed (with the reason).
 */
import { readFile, stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { AppError, toErrorDto, type ImageSummary, type LabelImportReport, type ParsedInput } from '../../../core/contract'
import { createImageMatcher, parseCocoJson, planCocoImport, rasterizeCocoItem } from '../../../core/formats'
import { encodeMaskPng, maskClassCounts } from '../../../core/imaging'
import type { ServiceContext } from '../context'
import { importPngFolder } from './png-labels'
import { allImages } from './project-images'

/** Collects the report and stores masks. */
export class ImportSink {
  readonly report: LabelImportReport = { attached: [], unmapped: [], unmatched: [], failed: [] }

  constructor(private readonly ctx: ServiceContext) {}

  /** Stores `data` as the image's new current mask (source 'import'); an all-unlabeled result is a failure. */
  attach(file: string, image: ImageSummary, data: Uint8Array): void {
    const store = this.ctx.requireStore()
    const counts = maskClassCounts(data, store.classes().length)
    if (counts.labeled === 0) {
      this.report.failed.push({ file, code: 'INVALID_INPUT', reason: `${file}: no labeled pixel is left after mapping its classes to the project's` })
      return
    }
    store.masks.save(image.id, {
      png: encodeMaskPng(data, image.width, image.height),
      source: 'import',
      labeledFraction: counts.labeled / data.length,
      classPixels: counts.classPixels,
    })
    this.report.attached.push({ file, imageId: image.id })
  }

  fail(file: string, err: unknown): void {
    const dto = toErrorDto(err)
    this.report.failed.push({ file, code: dto.code, reason: dto.message })
  }
}

async function requireKind(path: string, kind: 'file' | 'folder', format: string): Promise<void> {
  const s = await stat(path).catch(() => null)
  if (!s) throw new AppError('NOT_FOUND', `${path}: no such ${kind}`, path)
  if (kind === 'file' && !s.isFile()) throw new AppError('INVALID_INPUT', `${path} is a folder; ${format} labels are one JSON file`, path)
  if (kind === 'folder' && !s.isDirectory()) throw new AppError('INVALID_INPUT', `${path} is a file; PNG labels are read from a folder`, path)
}

async function importCoco(ctx: ServiceContext, file: string, sink: ImportSink): Promise<void> {
  await requireKind(file, 'file', 'COCO')
  const dataset = parseCocoJson(await readFile(file, 'utf8'), file)
  const store = ctx.requireStore()
  const images = allImages(store)
  const byId = new Map(images.map((i) => [i.id, i]))
  const plan = planCocoImport(dataset, store.classes(), createImageMatcher(images))
  sink.report.unmapped.push(...plan.unmapped.map((u) => ({ name: u.name, sourceId: u.id, annotations: u.annotations, pixels: null })))
  sink.report.unmatched.push(...plan.unmatched)
  for (const item of plan.items) {
    const image = byId.get(item.projectImageId)
    if (!image) continue
    try {
      sink.attach(item.image.file_name, image, rasterizeCocoItem(item, plan.mapping, image.width, image.height, file))
    } catch (err) {
      sink.fail(item.image.file_name, err)
    }
  }
}

/** Runs one label import and reports it; emits project:changed for the images that got masks. */
export async function runLabelImport(ctx: ServiceContext, input: ParsedInput<'labels:import'>): Promise<LabelImportReport> {
  ctx.requireStore()
  const path = resolve(input.path)
  const sink = new ImportSink(ctx)
  if (input.format === 'coco') {
    await importCoco(ctx, path, sink)
  } else {
    await requireKind(path, 'folder', 'PNG')
    await importPngFolder(ctx, path, sink)
  }
  const imageIds = sink.report.attached.map((a) => a.imageId)
  if (imageIds.length > 0) ctx.emit('project:changed', { what: 'masks', imageIds })
  return sink.report
}
