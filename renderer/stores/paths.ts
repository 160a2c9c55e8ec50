/** Host-path helpers for the UI; host paths may be POSIX or Windows, whatever the browser runs on. */

function separatorOf(path: string): '/' | '\\' {
  return path.includes('\\') && !path.includes('/') ? '\\' : '/'
}

/** The deepest folder that contains every path (the masks folder of a batch of uploaded masks). */
export function commonDir(paths: readonly string[]): string {
  if (paths.length === 0) return ''
  const sep = separatorOf(paths[0])
  const dirs = paths.map((p) => p.split(sep).slice(0, -1))
  const first = dirs[0]
  let n = first.length
  for (const d of dirs) {
    let i = 0
    while (i < n && i < d.length && d[i] === first[i]) i++
    n = i
  }
  const joined = first.slice(0, n).join(sep)
  return joined === '' ? sep : joined
}

/** `dir` + `name` with the separator `dir` already uses. */
export function joinPath(dir: string, name: string): string {
  const sep = separatorOf(dir)
  return dir.endsWith(sep) ? dir + name : dir + sep + name
}

/** A file-name-safe form of a project name ("Aerial tiles 2" → "aerial-tiles-2"). */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  return slug === '' ? 'project' : slug.slice(0, 60)
}

/** The last segment of a path, for compact display. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/)
  return parts[parts.length - 1] || path
}

/** `reason` without a leading "name: " of the file it is about, for a list that already shows the file. */
export function reasonBeside(file: string, reason: string): string {
  const prefix = `${baseName(file)}: `
  return reason.startsWith(prefix) ? reason.slice(prefix.length) : reason
}
