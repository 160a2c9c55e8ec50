/**
 * Linked originals: an original too large for one SQLite value (better-sqlite3 13 refuses a bound
 * buffer over 512 MiB and a row over about 536 MB, "string or blob too big") stays where the user keeps
 * it, and the project records its absolute path, size, modification time and the content hash of its
 * bytes. Every read checks the file first: a missing file, a different size, or (when the modification
 * time moved) different content is an AppError naming the file, never silently other pixels.
 */
import { closeSync, openSync, readFileSync, readSync, statSync, type Stats } from 'node:fs'
import { createHash } from 'node:crypto'
import { AppError } from '../contract'

/**
 * Originals of at least this many bytes are linked, not copied into the project. 256 MiB leaves room in
 * the same row for the display rendition (an 8,000² RGB PNG is at most ~200 MB) under SQLite's limit.
 */
export const LINK_ORIGINALS_FROM_BYTES = 256 * 1024 * 1024

/** Where a linked original lives and what it looked like when it was imported. */
export interface LinkedFile {
  /** Absolute path. */
  path: string
  /** Size in bytes at import. */
  size: number
  /** Modification time at import (ms since the epoch, as fs.stat reports it). */
  mtimeMs: number
}

/** Chunk size of the streaming hash: bounded memory for files of any size. */
const HASH_CHUNK = 8 * 1024 * 1024

/** SHA-256 (hex) of a file read in chunks, so a multi-gigabyte original never sits in memory whole. */
export function hashFileSync(path: string): string {
  const hash = createHash('sha256')
  const buf = Buffer.allocUnsafe(HASH_CHUNK)
  const fd = openSync(path, 'r')
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, HASH_CHUNK, null)
      if (n === 0) break
      hash.update(buf.subarray(0, n))
    }
  } finally {
    closeSync(fd)
  }
  return hash.digest('hex')
}

function changed(link: LinkedFile, imageName: string, what: string): AppError {
  return new AppError(
    'IO',
    `${link.path} (the linked original of image "${imageName}") changed since it was imported: ${what}. Put the original file back or import the new one as another image.`,
    link.path,
  )
}

function statOrThrow(link: LinkedFile, imageName: string): Stats {
  try {
    return statSync(link.path)
  } catch (err) {
    const code = (err as { code?: string }).code
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new AppError('NOT_FOUND', `${link.path} (the linked original of image "${imageName}") is missing. Put the file back at that path or import it again.`, link.path)
    }
    throw new AppError('IO', `Cannot read ${link.path} (the linked original of image "${imageName}"): ${(err as Error).message}`, link.path)
  }
}

/**
 * Checks a linked original against what was recorded: NOT_FOUND when it is missing, IO when its size
 * differs, or when its modification time moved and its SHA-256 no longer equals `contentHash` (a file
 * merely touched or copied back keeps working). Returns the path.
 */
export function verifyLinkedFile(link: LinkedFile, contentHash: string, imageName: string): string {
  const s = statOrThrow(link, imageName)
  if (!s.isFile()) throw changed(link, imageName, 'it is no longer a file')
  if (s.size !== link.size) throw changed(link, imageName, `its size is ${s.size} bytes, it was ${link.size}`)
  if (s.mtimeMs !== link.mtimeMs && hashFileSync(link.path) !== contentHash) throw changed(link, imageName, 'its content is different')
  return link.path
}

/** The bytes of a linked original after the checks of {@link verifyLinkedFile} (the hash on the bytes read). */
export function readLinkedFile(link: LinkedFile, contentHash: string, imageName: string): Buffer {
  const s = statOrThrow(link, imageName)
  if (!s.isFile()) throw changed(link, imageName, 'it is no longer a file')
  if (s.size !== link.size) throw changed(link, imageName, `its size is ${s.size} bytes, it was ${link.size}`)
  let bytes: Buffer
  try {
    bytes = readFileSync(link.path)
  } catch (err) {
    throw new AppError('IO', `Cannot read ${link.path} (the linked original of image "${imageName}"): ${(err as Error).message}`, link.path)
  }
  if (bytes.length !== link.size) throw changed(link, imageName, `its size is ${bytes.length} bytes, it was ${link.size}`)
  if (s.mtimeMs !== link.mtimeMs && createHash('sha256').update(bytes).digest('hex') !== contentHash) {
    throw changed(link, imageName, 'its content is different')
  }
  return bytes
}
