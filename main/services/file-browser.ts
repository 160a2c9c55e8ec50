/**
 * files:browse, the browser-mode file picker: lists host folders, but only inside the roots the host
 * allows. Every path is resolved through realpath before the check, so `..`, symlinks and odd spellings
 * cannot lead outside a root; a NUL byte or a relative path is refused outright.
 */
import { readdir, realpath, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { AppError, type Output, type ParsedInput } from '../../core/contract'
import type { ServiceHostOptions } from './host-types'

type Listing = Output<'files:browse'>

/** The allowed roots as real, existing folder paths (missing ones are left out). */
export async function browseRoots(opts: Pick<ServiceHostOptions, 'appDataDir' | 'browseRoots'>): Promise<string[]> {
  const given = opts.browseRoots ?? [opts.appDataDir, homedir()]
  const real = await Promise.all(given.map((r) => realpath(resolve(r)).catch(() => null)))
  return [...new Set(real.filter((r): r is string => r !== null))]
}

/** Whether `path` (real) is `root` (real) or inside it. */
export function within(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('..'))
}

/** Lists `input.dir` (or the roots) for the file picker; FORBIDDEN outside the roots. */
export async function browseFiles(opts: Pick<ServiceHostOptions, 'appDataDir' | 'browseRoots'>, input: ParsedInput<'files:browse'>): Promise<Listing> {
  const roots = await browseRoots(opts)
  if (input.dir === undefined) {
    return { roots, dir: null, parent: null, entries: roots.map((r) => ({ name: r, path: r, kind: 'dir' as const })) }
  }
  if (input.dir.includes('\0') || !isAbsolute(input.dir)) throw new AppError('INVALID_INPUT', `${input.dir}: give an absolute folder path`)
  let dir: string
  try {
    dir = await realpath(input.dir)
  } catch {
    throw new AppError('NOT_FOUND', `${input.dir}: no such folder`, input.dir)
  }
  const root = roots.find((r) => within(r, dir))
  if (!root) throw new AppError('FORBIDDEN', `${input.dir} is outside the folders this server lets the browser see (${roots.join(', ')})`, input.dir)
  if (!(await stat(dir)).isDirectory()) throw new AppError('INVALID_INPUT', `${input.dir} is not a folder`, input.dir)
  const found = await readdir(dir, { withFileTypes: true })
  const entries: Listing['entries'] = []
  for (const e of found) {
    if (e.name.startsWith('.')) continue
    const path = join(dir, e.name)
    // A symlink counts as what it points to, and only when that stays inside the same root.
    const target = e.isSymbolicLink() ? await realpath(path).catch(() => null) : path
    if (target === null || !within(root, target)) continue
    const isDir = e.isSymbolicLink() ? (await stat(target)).isDirectory() : e.isDirectory()
    if (isDir) entries.push({ name: e.name, path, kind: 'dir' })
    else if (input.kind === 'any' || e.name.endsWith('.labelloop')) entries.push({ name: e.name, path, kind: 'file' })
  }
  entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1))
  return { roots, dir, parent: dir === root ? null : dirname(dir), entries }
}
