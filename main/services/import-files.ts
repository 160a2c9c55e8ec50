/**
 * What an import reads: the image files behind the paths the user gave (folders walked recursively,
 * hidden entries and files without an image extension inside folders ignored) and the masks folder
 * indexed by file stem.
 */
import { readdir, stat } from 'node:fs/promises'
import { basename, extname, join, relative, resolve, sep } from 'node:path'
import { AppError, type ImportResult } from '../../core/contract'
import { isImageFileName } from '../../core/imaging'

/** One file to import. */
export interface ImportCandidate {
  /** Absolute path. */
  file: string
  /** Path relative to the folder it was found in (or the bare name for a file given directly), '/'-separated. */
  relPath: string
  /** Given directly by the user (a non-image extension is then a failure, not something to ignore). */
  explicit: boolean
}

type Failure = ImportResult['failed'][number]

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })

async function walk(root: string, dir: string, out: ImportCandidate[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true })
  entries.sort((a, b) => collator.compare(a.name, b.name))
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue
    const full = join(dir, entry.name)
    let isDir = entry.isDirectory()
    let isFile = entry.isFile()
    if (entry.isSymbolicLink()) {
      const s = await stat(full).catch(() => null)
      isDir = s?.isDirectory() ?? false
      isFile = s?.isFile() ?? false
    }
    if (isDir) await walk(root, full, out)
    else if (isFile && isImageFileName(entry.name)) {
      out.push({ file: full, relPath: relative(root, full).split(sep).join('/'), explicit: false })
    }
  }
}

/** Expands files and folders into import candidates; paths that do not exist become failures. */
export async function collectCandidates(paths: readonly string[]): Promise<{ candidates: ImportCandidate[]; failed: Failure[] }> {
  const candidates: ImportCandidate[] = []
  const failed: Failure[] = []
  const seen = new Set<string>()
  for (const given of paths) {
    const file = resolve(given)
    const s = await stat(file).catch(() => null)
    if (!s) {
      failed.push({ file, code: 'NOT_FOUND', reason: `${file} does not exist` })
    } else if (s.isDirectory()) {
      const found: ImportCandidate[] = []
      try {
        await walk(file, file, found)
      } catch (err) {
        failed.push({ file, code: 'IO', reason: `Cannot read folder ${file}: ${(err as Error).message}` })
      }
      for (const c of found) if (!seen.has(c.file)) candidates.push(c)
      for (const c of found) seen.add(c.file)
    } else if (!seen.has(file)) {
      seen.add(file)
      candidates.push({ file, relPath: basename(file), explicit: true })
    }
  }
  return { candidates, failed }
}

/** The mask files of a masks folder by file stem; a stem is looked up exactly, then case-insensitively. */
export class MaskIndex {
  private constructor(
    private readonly exact: Map<string, string>,
    private readonly folded: Map<string, string>,
    private readonly used = new Set<string>(),
  ) {}

  /** Indexes the PNG files directly inside `dir`; NOT_FOUND when the folder does not exist. */
  static async load(dir: string): Promise<MaskIndex> {
    const root = resolve(dir)
    const s = await stat(root).catch(() => null)
    if (!s?.isDirectory()) throw new AppError('NOT_FOUND', `Masks folder ${root} does not exist or is not a folder`, root)
    const exact = new Map<string, string>()
    const folded = new Map<string, string>()
    const entries = await readdir(root, { withFileTypes: true })
    entries.sort((a, b) => collator.compare(a.name, b.name))
    for (const e of entries) {
      if (e.name.startsWith('.') || extname(e.name).toLowerCase() !== '.png') continue
      const stem = e.name.slice(0, -4)
      const full = join(root, e.name)
      exact.set(stem, full)
      if (!folded.has(stem.toLowerCase())) folded.set(stem.toLowerCase(), full)
    }
    return new MaskIndex(exact, folded)
  }

  /** The mask file for an image file name, marking it used. */
  take(imageFile: string): string | null {
    const name = basename(imageFile)
    const stem = name.slice(0, name.length - extname(name).length)
    const found = this.exact.get(stem) ?? this.folded.get(stem.toLowerCase()) ?? null
    if (found) this.used.add(found)
    return found
  }

  /** Mask files no image of this import matched. */
  unused(): string[] {
    return [...new Set(this.exact.values())].filter((f) => !this.used.has(f))
  }
}
