/**
 * Where a picked folder ended up on the host. In browser mode files are uploaded one by one under a
 * staging folder, each at its relative path ("labels/sub/a.png"); in Electron each file keeps its own
 * path. Either way the picked folder is the returned path with the relative path's file and inner
 * folders taken off.
 */

/** The host folder holding the picked folder's files, from one file's host path and its relative path. */
export function pickedFolder(hostPath: string, relPath: string): string {
  const inner = relPath.split('/').filter((s) => s !== '').length - 1
  const parts = hostPath.split(/([\\/]+)/)
  // parts alternates segment, separator, segment...; drop `inner` segments from the end, then the file.
  let end = parts.length
  for (let i = 0; i < Math.max(inner, 1); i++) {
    end -= 1
    while (end > 0 && /^[\\/]+$/.test(parts[end - 1])) end -= 1
  }
  const folder = parts.slice(0, end).join('')
  return folder === '' ? hostPath : folder
}
