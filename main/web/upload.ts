/**
 * Staging of uploaded files in browser mode. The browser cannot hand the host a path, so the renderer
 * uploads each picked or dropped file; the host writes it into a per-batch folder under a temp dir it
 * owns, and the renderer then imports those paths like any others. The folder is removed on close.
 */
import { createWriteStream } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve, sep } from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { AppError } from '../../core/contract'
import { BodyTooLargeError } from './http-util'

export const UPLOAD_PURPOSES = ['images', 'masks'] as const
export type UploadPurpose = (typeof UPLOAD_PURPOSES)[number]

const BATCH_ID = /^[A-Za-z0-9_-]{1,64}$/
// Control characters anywhere; on Windows also the characters it forbids in file names (which also
// keeps drive-relative names like `c:x` and alternate data streams out).
const BAD_SEGMENT_CHARS = process.platform === 'win32' ? /[\u0000-\u001f\u007f<>:"|?*]/ : /[\u0000-\u001f\u007f]/

export function isUploadPurpose(value: string | null): value is UploadPurpose {
  return value !== null && (UPLOAD_PURPOSES as readonly string[]).includes(value)
}

/** Checks a batch id: letters, digits, `_` and `-`, at most 64 characters. */
export function checkBatchId(batch: string | null): string {
  if (batch === null || !BATCH_ID.test(batch)) {
    throw new AppError('INVALID_INPUT', `Upload batch id "${batch ?? ''}" must be 1-64 letters, digits, "_" or "-"`)
  }
  return batch
}

/**
 * Splits a client-supplied relative path (as from a dropped folder) into safe segments. Refuses
 * absolute paths, drive letters, `.` and `..` segments, empty names and control characters, so the
 * result always stays inside the batch folder.
 */
export function sanitiseRelativePath(name: string | null): string[] {
  const bad = (why: string): AppError => new AppError('INVALID_INPUT', `Upload name "${name ?? ''}" ${why}`)
  if (name === null || name.length === 0) throw bad('is empty')
  if (name.length > 1024) throw bad('is longer than 1024 characters')
  if (/^[\\/]/.test(name) || /^[A-Za-z]:[\\/]/.test(name)) throw bad('is an absolute path')
  const segments = name.split(/[\\/]+/)
  if (segments[segments.length - 1] === '') throw bad('names a folder, not a file')
  for (const segment of segments) {
    if (segment === '.' || segment === '..') throw bad('may not contain "." or ".." segments')
    if (BAD_SEGMENT_CHARS.test(segment)) throw bad('contains a control or reserved character')
    if (segment.length > 255) throw bad('has a path segment longer than 255 characters')
  }
  return segments
}

function byteLimiter(limit: number): Transform {
  let size = 0
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length
      if (size > limit) done(new BodyTooLargeError(limit))
      else done(null, chunk)
    },
  })
}

/** The temp folder of one web host, holding `<purpose>/<batch>/<relative path>` files. */
export class UploadStaging {
  private constructor(readonly root: string) {}

  /** Creates a fresh, private temp folder. */
  static async create(): Promise<UploadStaging> {
    return new UploadStaging(await mkdtemp(join(tmpdir(), 'labelloop-upload-')))
  }

  /** The folder that holds one batch of uploads of one purpose. */
  batchDir(purpose: UploadPurpose, batch: string): string {
    return join(this.root, purpose, checkBatchId(batch))
  }

  /** Streams `body` into the batch folder under the sanitised relative `name`; returns where it went. */
  async save(purpose: UploadPurpose, batch: string, name: string | null, body: Readable, limit: number): Promise<{ path: string; dir: string }> {
    const dir = this.batchDir(purpose, batch)
    const target = resolve(dir, ...sanitiseRelativePath(name))
    if (!target.startsWith(dir + sep)) throw new AppError('INVALID_INPUT', `Upload name "${name ?? ''}" leaves the upload folder`)
    await mkdir(dirname(target), { recursive: true })
    try {
      await pipeline(body, byteLimiter(limit), createWriteStream(target))
    } catch (err) {
      await rm(target, { force: true })
      throw err
    }
    return { path: target, dir }
  }

  /** Removes every uploaded file. */
  async dispose(): Promise<void> {
    await rm(this.root, { recursive: true, force: true })
  }
}
