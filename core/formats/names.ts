/**
 * File names of exported masks. Each mask is named after its image's relative path without extension,
 * folders kept (`site-a/0001.tif` → `site-a/0001`), so it maps back to the image. Two images that would
 * share a name (`a.png` and `a.jpg`, or names differing only in case, which collide on Windows and macOS)
 * are told apart: the first by image id keeps the plain name, later ones get their extension appended
 * (`a_jpg`), then a number (`a_jpg-2`) if that is taken too. Names the export writes itself are reserved.
 */
import { normalizePath, stripExtension, type MatchableImage } from './match'

/** Makes a relative path safe to join under an export folder: no `..`, no drive letters, no odd characters. */
export function safeRelativePath(relPath: string): string {
  const parts = normalizePath(relPath)
    .replace(/^[a-zA-Z]:/, '')
    .split('/')
    .filter((s) => s !== '' && s !== '.' && s !== '..')
    .map((s) => s.replace(/[<>:"|?*\u0000-\u001f]/g, '_'))
  return parts.length > 0 ? parts.join('/') : 'image'
}

/**
 * Unique extension-less relative names for the images' masks, in image-id order. `reserved` holds names
 * (without extension) the export writes itself, such as `legend`.
 */
export function maskBaseNames(images: readonly MatchableImage[], reserved: readonly string[] = []): Map<number, string> {
  const taken = new Set(reserved.map((r) => r.toLowerCase()))
  const out = new Map<number, string>()
  for (const img of [...images].sort((a, b) => a.id - b.id)) {
    const path = safeRelativePath(img.relPath)
    const stem = stripExtension(path)
    const ext = path.slice(stem.length + 1)
    let name = stem
    if (taken.has(name.toLowerCase())) name = ext ? `${stem}_${ext}` : `${stem}_${img.id}`
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${ext ? `${stem}_${ext}` : stem}-${n}`
    taken.add(name.toLowerCase())
    out.set(img.id, name)
  }
  return out
}
