/**
 * Checks a file before the store opens it for writing, so a file that is not a LabelLoop project, was
 * written by a newer LabelLoop, or is damaged is refused with a clear error and never written to.
 */
import { closeSync, existsSync, openSync, readSync, rmSync, statSync } from 'node:fs'
import Database from 'better-sqlite3'
import { AppError } from '../contract'
import { APP_ID, APP_MARKER, LATEST_SCHEMA_VERSION } from './migrations'

const SQLITE_MAGIC = 'SQLite format 3\u0000'
/** Tables whose b-trees are checked on every open; blob tables are left out to keep opening fast. */
const CHECKED_TABLES = ['meta', 'classes', 'images', 'masks', 'mask_revisions', 'image_class_pixels']

/** Header fields of an SQLite file read straight from its first 100 bytes (no SQLite connection). */
interface SqliteHeader {
  userVersion: number
  applicationId: number
}

/** Maps SQLite and file-system failures to the contract's error codes; anything else passes through. */
export function toStoreError(err: unknown, file: string): unknown {
  if (err instanceof AppError) return err
  const e = err as { code?: unknown; message?: unknown } | null
  const code = typeof e?.code === 'string' ? e.code : ''
  const message = typeof e?.message === 'string' ? e.message : String(err)
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return new AppError('DISK_FULL', `Disk full while writing ${file}; the change was rolled back (${message})`, file)
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new AppError('CORRUPT_PROJECT', `${file} is damaged: ${message}`, file)
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN' || code === 'EACCES' || code === 'EPERM') {
    return new AppError('IO', `Cannot read or write ${file}: ${message}`, file)
  }
  return err
}

function readHeader(file: string): SqliteHeader | null {
  const fd = openSync(file, 'r')
  try {
    const buf = Buffer.alloc(100)
    const n = readSync(fd, buf, 0, 100, 0)
    if (n < 100 || buf.toString('latin1', 0, 16) !== SQLITE_MAGIC) return null
    return { userVersion: buf.readUInt32BE(60), applicationId: buf.readUInt32BE(68) }
  } finally {
    closeSync(fd)
  }
}

/** Removes the -wal/-shm files a read-only connection left behind when they were not there before. */
function removeNewSideFiles(file: string, existedBefore: Set<string>): void {
  for (const suffix of ['-wal', '-shm']) {
    const side = file + suffix
    if (existedBefore.has(side) || !existsSync(side)) continue
    if (suffix === '-wal' && statSync(side).size > 0) continue
    rmSync(side, { force: true })
  }
}

function newerVersionError(file: string, version: number): AppError {
  return new AppError(
    'NEWER_VERSION',
    `${file} was written by a newer LabelLoop (schema version ${version}); this version supports up to ${LATEST_SCHEMA_VERSION}. Update LabelLoop to open it.`,
    file,
  )
}

/** Checks the file through a read-only connection; throws the matching AppError when it is not openable. */
function checkReadOnly(file: string): void {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const hasMeta = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'meta'").get()
    const marker = hasMeta
      ? (db.prepare("SELECT value FROM meta WHERE key = 'app'").get() as { value: string } | undefined)
      : undefined
    if (marker?.value !== APP_MARKER) {
      throw new AppError('NOT_A_PROJECT', `${file} is an SQLite database but not a LabelLoop project`, file)
    }
    const version = db.pragma('user_version', { simple: true }) as number
    if (version > LATEST_SCHEMA_VERSION) throw newerVersionError(file, version)
    const existing = new Set(
      (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name),
    )
    for (const table of CHECKED_TABLES.filter((t) => existing.has(t))) {
      const rows = db.pragma(`quick_check(${table})`) as { quick_check: string }[]
      const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok')
      if (problems.length > 0) {
        throw new AppError('CORRUPT_PROJECT', `${file} is damaged (table ${table}): ${problems.slice(0, 3).join('; ')}`, file)
      }
    }
  } finally {
    db.close()
  }
}

/**
 * Decides whether `file` can be opened as a project, without writing to it: NOT_FOUND when missing,
 * NOT_A_PROJECT for anything that is not a LabelLoop SQLite file, NEWER_VERSION for a newer schema,
 * CORRUPT_PROJECT when SQLite reports damage.
 */
export function assertOpenable(file: string): void {
  if (!existsSync(file)) throw new AppError('NOT_FOUND', `Project file ${file} does not exist`, file)
  if (!statSync(file).isFile()) throw new AppError('NOT_A_PROJECT', `${file} is a folder, not a LabelLoop project`, file)
  const header = readHeader(file)
  if (header === null) throw new AppError('NOT_A_PROJECT', `${file} is not a LabelLoop project (not an SQLite file)`, file)
  if (header.applicationId !== APP_ID) {
    throw new AppError('NOT_A_PROJECT', `${file} is an SQLite database but not a LabelLoop project`, file)
  }
  if (header.userVersion > LATEST_SCHEMA_VERSION) throw newerVersionError(file, header.userVersion)
  const sideFiles = new Set([file + '-wal', file + '-shm'].filter((f) => existsSync(f)))
  try {
    checkReadOnly(file)
  } catch (err) {
    removeNewSideFiles(file, sideFiles)
    throw toStoreError(err, file)
  }
}
