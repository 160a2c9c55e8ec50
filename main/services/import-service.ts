/**
 * images:import and images:cancelImport. Files are read and decoded a little ahead of the one being
 * stored, but stored strictly in order, each in its own transaction: a cancel or a crash keeps every
 * image already imported. Per-file problems become `failed` entries naming the file; only a failure of
 * the project file itself (disk full, damage) stops the import with an error.
 */
import { readFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { basename } from 'node:path'
import { AppError, type ImportResult, type ParsedInput } from '../../core/contract'
import { contentHash, decodeImage, isImageFileName, type DecodedImage } from '../../core/imaging'
import { projectDisplayBands } from './display/display-service'
import { LINK_ORIGINALS_FROM_BYTES, type LinkedFile, type ProjectStore } from '../../core/project'
import type { ImportJob, ServiceContext } from './context'
import { collectCandidates, MaskIndex, type ImportCandidate } from './import-files'
import { decodeFailureReason, unsupportedNameReason } from './import-reasons'
import { checkMask } from './mask-check'

/** Files read and decoded at once, the one being stored included (sharp decodes on its own threads). */
const PREFETCH = 3
/** A project:changed event after this many new images, so an open gallery fills in during long imports. */
const CHANGED_EVERY = 50

type Prepared =
  | { kind: 'image'; c: ImportCandidate; bytes: Buffer; hash: string; decoded: DecodedImage; linked: LinkedFile | null }
  | { kind: 'duplicate'; c: ImportCandidate; hash: string }
  | { kind: 'failed'; c: ImportCandidate; code: string; reason: string }

const STORE_FAILURES = new Set(['DISK_FULL', 'CORRUPT_PROJECT', 'NO_PROJECT'])

/** The file's bytes and, taken before reading them, its size and modification time. */
async function readWithStat(file: string): Promise<{ bytes: Buffer; size: number; mtimeMs: number }> {
  const fh = await open(file, 'r')
  try {
    const s = await fh.stat()
    return { bytes: await fh.readFile(), size: s.size, mtimeMs: s.mtimeMs }
  } finally {
    await fh.close()
  }
}

async function prepare(c: ImportCandidate, store: ProjectStore, batchHashes: Set<string>, linkFrom: number): Promise<Prepared> {
  const name = basename(c.file)
  if (!isImageFileName(name)) {
    return { kind: 'failed', c, code: 'DECODE_FAILED', reason: unsupportedNameReason(name) }
  }
  let bytes: Buffer
  let linked: LinkedFile | null = null
  try {
    const read = await readWithStat(c.file)
    bytes = read.bytes
    if (read.size === bytes.length && bytes.length >= linkFrom) linked = { path: c.file, size: read.size, mtimeMs: read.mtimeMs }
  } catch (err) {
    const code = (err as { code?: string }).code === 'ENOENT' ? 'NOT_FOUND' : 'IO'
    return { kind: 'failed', c, code, reason: `Cannot read ${c.file}: ${(err as Error).message}` }
  }
  const hash = contentHash(bytes)
  try {
    if (batchHashes.has(hash) || store.images.findByHash(hash) !== null) return { kind: 'duplicate', c, hash }
  } catch (err) {
    return { kind: 'failed', c, code: 'IO', reason: `${name}: ${(err as Error).message}` }
  }
  batchHashes.add(hash)
  try {
    const decoded = await decodeImage(bytes, name, { bands: projectDisplayBands(store) })
    // A linked original is not stored, so its bytes need not wait in memory for the commit.
    return { kind: 'image', c, bytes: linked ? Buffer.alloc(0) : bytes, hash, linked, decoded }
  } catch (err) {
    return { kind: 'failed', c, ...decodeFailureReason(name, bytes, err) }
  }
}

/** Runs one import job to completion or cancellation. */
async function importFiles(ctx: ServiceContext, store: ProjectStore, job: ImportJob, input: ParsedInput<'images:import'>): Promise<ImportResult> {
  const masks = input.masksDir === undefined ? null : await MaskIndex.load(input.masksDir)
  const { candidates, failed } = await collectCandidates(input.paths)
  const result: ImportResult = { imported: [], skipped: [], failed, masks: { attached: [], failed: [] }, cancelled: false }
  const classCount = store.classes().length
  const linkFrom = ctx.opts.linkOriginalsFromBytes ?? LINK_ORIGINALS_FROM_BYTES
  const batchHashes = new Set<string>()
  const inflight: Promise<Prepared>[] = []
  let next = 0
  let unannounced: number[] = []
  const announce = (): void => {
    if (unannounced.length > 0) ctx.emit('project:changed', { what: 'images', imageIds: unannounced })
    unannounced = []
  }
  const progress = (done: number, file: string): void =>
    ctx.emit('import:progress', {
      jobId: job.jobId, done, total: candidates.length, file,
      imported: result.imported.length, skipped: result.skipped.length, failed: result.failed.length,
    })

  const attachMask = (c: ImportCandidate, imageId: number, onlyIfNone: boolean): void => {
    const maskFile = masks?.take(c.file)
    if (!maskFile || (onlyIfNone && store.masks.current(imageId) !== null)) return
    try {
      const image = store.images.get(imageId)
      store.masks.save(imageId, checkMask(readMaskSync(maskFile), basename(maskFile), image, classCount, 'import'))
      result.masks.attached.push({ file: maskFile, imageId })
      // A mask attached to an image that was already in the project changes that image too.
      if (onlyIfNone) unannounced.push(imageId)
    } catch (err) {
      if (err instanceof AppError && STORE_FAILURES.has(err.code)) throw err
      const code = err instanceof AppError ? err.code : 'IO'
      result.masks.failed.push({ file: maskFile, code, reason: err instanceof Error ? err.message : String(err) })
    }
  }

  const commit = (p: Prepared): void => {
    if (p.kind === 'failed') {
      masks?.take(p.c.file)
      result.failed.push({ file: p.c.file, code: p.code, reason: p.reason })
      return
    }
    const existingId = store.images.findByHash(p.hash)
    if (existingId !== null) {
      const existing = store.images.get(existingId)
      result.skipped.push({ file: p.c.file, reason: `same content as ${existing.relPath}, already in the project`, existingId })
      attachMask(p.c, existingId, true)
      return
    }
    if (p.kind === 'duplicate') {
      masks?.take(p.c.file)
      result.failed.push({ file: p.c.file, code: 'DECODE_FAILED', reason: `${basename(p.c.file)}: identical to another file of this import that could not be imported` })
      return
    }
    const d = p.decoded
    const id = store.images.insert({
      name: basename(p.c.file), relPath: p.c.relPath, contentHash: p.hash, width: d.width, height: d.height,
      bands: d.bands, bitDepth: d.bitDepth, format: d.format, original: p.bytes, display: d.display,
      displayMime: d.displayMime, thumbnail: d.thumbnail, thumbnailMime: d.thumbnailMime,
      ...(p.linked ? { linked: p.linked } : {}),
    })
    result.imported.push(p.linked ? { file: p.c.file, id, linked: true } : { file: p.c.file, id })
    unannounced.push(id)
    attachMask(p.c, id, false)
    if (unannounced.length >= CHANGED_EVERY) announce()
  }

  progress(0, '')
  try {
    for (let done = 0; done < candidates.length; done++) {
      while (inflight.length < PREFETCH && next < candidates.length) inflight.push(prepare(candidates[next++], store, batchHashes, linkFrom))
      const prepared = await (inflight.shift() as Promise<Prepared>)
      if (job.cancelled) {
        result.cancelled = true
        break
      }
      commit(prepared)
      progress(done + 1, prepared.c.file)
    }
    if (masks && !result.cancelled) {
      for (const file of masks.unused()) {
        result.masks.failed.push({ file, code: 'NOT_FOUND', reason: `${basename(file)}: no image of this import has the same file stem` })
      }
    }
    return result
  } finally {
    await Promise.allSettled(inflight)
    announce()
  }
}

function readMaskSync(file: string): Buffer {
  try {
    return readFileSync(file)
  } catch (err) {
    throw new AppError('IO', `Cannot read mask ${file}: ${(err as Error).message}`, file)
  }
}

/** images:import: one import at a time (BUSY otherwise); `images:cancelImport` stops it between files. */
export async function runImport(ctx: ServiceContext, input: ParsedInput<'images:import'>): Promise<ImportResult> {
  const store = ctx.requireStore()
  if (ctx.importJob) throw new AppError('BUSY', `Import ${ctx.importJob.jobId} is still running; wait for it or cancel it`)
  let settle: () => void = () => undefined
  const job: ImportJob = { jobId: input.jobId, cancelled: false, finished: new Promise<void>((r) => (settle = r)) }
  ctx.importJob = job
  try {
    return await importFiles(ctx, store, job, input)
  } finally {
    ctx.importJob = null
    settle()
  }
}

/** images:cancelImport: flags the job; a job that already ended is not an error. */
export function cancelImport(ctx: ServiceContext, jobId: string): null {
  if (ctx.importJob?.jobId === jobId) ctx.importJob.cancelled = true
  return null
}
