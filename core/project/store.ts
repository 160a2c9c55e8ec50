/**
 * ProjectStore: one LabelLoop project, which is one SQLite file holding classes, image bytes, masks with
 * their history, and (for later features) training runs and pseudo-label rounds. It owns the connection:
 * WAL mode, foreign keys, and every multi-row change in one transaction through {@link ProjectStore.write}.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { AppError, type ClassDef, type NewClass, type ProjectInfo } from '../contract'
import { assertOpenable, toStoreError } from './file-checks'
import { CASEFOLD_FN } from './image-query'
import { ImageRepo } from './image-repo'
import { MaskRepo } from './mask-repo'
import { StatementCache } from './statements'
import { APP_ID, APP_MARKER, migrate } from './migrations'
import { defaultClassColor } from './palette'

export class ProjectStore {
  /** Absolute path of the project file. */
  readonly path: string
  /**
   * The open connection, for repositories of later features (runs, pseudo-labels) that live in
   * core/project; they should write through {@link write} so errors map to the contract's codes.
   */
  readonly db: Database.Database
  readonly images: ImageRepo
  readonly masks: MaskRepo
  private classCache: ClassDef[] | null = null
  /** PRAGMA data_version when the class cache was filled: it changes when another connection commits. */
  private classCacheVersion = -1

  private constructor(path: string, db: Database.Database) {
    this.path = path
    this.db = db
    const write = <T>(fn: () => T): T => this.write(fn)
    const statements = new StatementCache(db)
    this.images = new ImageRepo(statements, () => this.classes().length, write)
    this.masks = new MaskRepo(statements, write)
  }

  /**
   * Creates a new project file with these classes (indices 0.. in order, default colours where none is
   * given). ALREADY_EXISTS rather than overwrite; a failed creation leaves no file behind.
   */
  static create(path: string, name: string, classes: readonly NewClass[]): ProjectStore {
    const file = resolve(path)
    if (existsSync(file)) throw new AppError('ALREADY_EXISTS', `${file} already exists; choose another file name`, file)
    mkdirSync(dirname(file), { recursive: true })
    let db: Database.Database | null = null
    try {
      db = connect(file, true)
      const conn = db
      migrate(conn)
      conn.pragma(`application_id = ${APP_ID}`)
      conn.transaction(() => {
        const meta = conn.prepare('INSERT INTO meta (key, value) VALUES (?, ?)')
        meta.run('app', APP_MARKER)
        meta.run('name', name.trim())
        meta.run('created_at', new Date().toISOString())
        const insert = conn.prepare('INSERT INTO classes ("index", name, color) VALUES (?, ?, ?)')
        classes.forEach((c, i) => insert.run(i, c.name.trim(), c.color ?? defaultClassColor(i)))
      })()
      // Move the header (application_id, user_version) into the main file now, so another connection
      // (the trainer, the CLI) that checks the header before opening sees a LabelLoop project.
      conn.pragma('wal_checkpoint(TRUNCATE)')
      return new ProjectStore(file, conn)
    } catch (err) {
      db?.close()
      for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true })
      throw toStoreError(err, file)
    }
  }

  /**
   * Opens an existing project, migrating an older schema. NOT_FOUND, NOT_A_PROJECT, NEWER_VERSION and
   * CORRUPT_PROJECT are decided before anything is written, and leave the file untouched.
   */
  static open(path: string): ProjectStore {
    const file = resolve(path)
    assertOpenable(file)
    let db: Database.Database | null = null
    try {
      db = connect(file)
      const before = db.pragma('user_version', { simple: true })
      if (migrate(db) !== before) db.pragma('wal_checkpoint(TRUNCATE)')
      return new ProjectStore(file, db)
    } catch (err) {
      db?.close()
      throw toStoreError(err, file)
    }
  }

  /**
   * Maps an SQLite or file-system failure while using the project at `file` to the contract's codes
   * (DISK_FULL, CORRUPT_PROJECT, IO); anything else is returned as it is.
   */
  static mapError(err: unknown, file: string): unknown {
    return toStoreError(err, file)
  }

  /** Whether the connection is still open. */
  get isOpen(): boolean {
    return this.db.open
  }

  /**
   * Closes the connection; SQLite folds the WAL back into the file, so one file is the whole project.
   * `PRAGMA optimize` is best effort: on a damaged file it fails, and closing must still succeed quietly
   * (the damage was already reported by whatever read it).
   */
  close(): void {
    if (!this.db.open) return
    try {
      this.db.pragma('optimize')
    } catch {
      // Only statistics were lost; the data is as the last transaction left it.
    } finally {
      this.db.close()
    }
  }

  /** Runs `fn` in one transaction (a savepoint when nested); SQLITE_FULL/ENOSPC become DISK_FULL after rollback. */
  write<T>(fn: () => T): T {
    try {
      // BEGIN IMMEDIATE: take the write lock first (waiting up to busy_timeout for another connection, e.g. the
      // CLI importing beside the app). A deferred transaction that reads and then writes after another
      // connection committed gets SQLITE_BUSY at once, which busy_timeout does not retry.
      return this.db.transaction(fn).immediate()
    } catch (err) {
      throw toStoreError(err, this.path)
    }
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number
  }

  get name(): string {
    return this.meta('name') ?? ''
  }

  get createdAt(): string {
    return this.meta('created_at') ?? ''
  }

  /**
   * The project's classes by index. The cache is dropped when another connection (a second window, the
   * CLI, the trainer) has committed since it was filled, so masks are never validated against a class
   * list another instance changed.
   */
  classes(): ClassDef[] {
    const version = this.db.pragma('data_version', { simple: true }) as number
    if (version !== this.classCacheVersion) {
      this.classCache = null
      this.classCacheVersion = version
    }
    if (!this.classCache) {
      this.classCache = this.db.prepare('SELECT "index", name, color FROM classes ORDER BY "index"').all() as ClassDef[]
    }
    return this.classCache.map((c) => ({ ...c }))
  }

  /**
   * Replaces the class list. Indices must be 0..n-1 with unique names; a class may be dropped only when
   * no current mask uses it (INVALID_INPUT naming it otherwise), so stored masks stay valid.
   */
  setClasses(classes: readonly ClassDef[]): void {
    const sorted = [...classes].sort((a, b) => a.index - b.index)
    sorted.forEach((c, i) => {
      if (c.index !== i) throw new AppError('INVALID_INPUT', `Class indices must be 0..${sorted.length - 1} without gaps or repeats; got ${sorted.map((s) => s.index).join(', ')}`)
    })
    const seen = new Set<string>()
    for (const c of sorted) {
      const key = c.name.trim().toLowerCase()
      if (seen.has(key)) throw new AppError('INVALID_INPUT', `Class name "${c.name.trim()}" is used twice`)
      seen.add(key)
    }
    this.write(() => {
      const used = this.db
        .prepare('SELECT class_index AS idx, COUNT(*) AS n FROM image_class_pixels WHERE class_index >= ? GROUP BY class_index ORDER BY class_index')
        .all(sorted.length) as { idx: number; n: number }[]
      if (used.length > 0) {
        const old = this.classes()
        const names = used.map((u) => `"${old[u.idx]?.name ?? u.idx}" (index ${u.idx}, in ${u.n} masks)`)
        throw new AppError('INVALID_INPUT', `Cannot remove class ${names.join(', ')}: masks still use it`)
      }
      this.db.prepare('DELETE FROM classes').run()
      const insert = this.db.prepare('INSERT INTO classes ("index", name, color) VALUES (?, ?, ?)')
      for (const c of sorted) insert.run(c.index, c.name.trim(), c.color)
      this.classCache = null
    })
    this.classCache = null
  }

  /** The project as the UI sees it: name, classes, image counts per label status. */
  info(): ProjectInfo {
    const counts = this.images.counts()
    return {
      path: this.path,
      name: this.name,
      schemaVersion: this.schemaVersion,
      classes: this.classes(),
      imageCount: counts.unlabeled + counts.partial + counts.labeled,
      counts,
      createdAt: this.createdAt,
    }
  }

  /** A project setting kept in the meta table (say, the display bands of multiband images), or null. */
  setting(key: string): string | null {
    return this.meta(`setting.${key}`)
  }

  /** Stores a project setting in the meta table, replacing an earlier value. */
  setSetting(key: string, value: string): void {
    this.write(() => {
      this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(`setting.${key}`, value)
    })
  }

  private meta(key: string): string | null {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined
    return row?.value ?? null
  }
}

function connect(file: string, fresh = false): Database.Database {
  const db = new Database(file)
  // Larger pages mean shorter overflow chains for image bytes; only settable before the first table.
  if (fresh) db.pragma('page_size = 16384')
  db.pragma('journal_mode = WAL')
  db.pragma('foreign_keys = ON')
  db.pragma('synchronous = NORMAL')
  db.pragma('busy_timeout = 5000')
  db.function(CASEFOLD_FN, { deterministic: true }, (s: unknown) => (typeof s === 'string' ? s.toLowerCase() : s))
  return db
}
