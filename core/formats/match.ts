/**
 * Finding the project image a label file belongs to. Tools name label files after their images in many
 * ways ("train/0001.jpg", "0001.png" for "0001.tif", "sub/0001.png"), so a name is tried, in order, as:
 * the image's relative path, its relative path without extension, its file name, its file name without
 * extension. Every comparison ignores case and `\` vs `/`. A name that fits several images at the first
 * level where it fits any is ambiguous and matches none, rather than a guess.
 */

/** A project image as the matcher needs it. */
export interface MatchableImage {
  id: number
  relPath: string
}

export type MatchResult = { id: number } | { ambiguous: string[] } | null

/** `a\b\c.png` → `a/b/c.png`, without leading `./` or `/`. */
export function normalizePath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+/, '')
}

/** The path without its last extension (`a/b.c.png` → `a/b.c`). */
export function stripExtension(p: string): string {
  const slash = p.lastIndexOf('/')
  const dot = p.lastIndexOf('.')
  return dot > slash + 1 ? p.slice(0, dot) : p
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1)
}

const LEVELS: ((p: string) => string)[] = [
  (p) => p,
  (p) => stripExtension(p),
  (p) => baseName(p),
  (p) => stripExtension(baseName(p)),
]

/** Builds a matcher over the project's images. */
export function createImageMatcher(images: readonly MatchableImage[]): (fileName: string) => MatchResult {
  const indexes = LEVELS.map((level) => {
    const map = new Map<string, MatchableImage[]>()
    for (const img of images) {
      const k = level(normalizePath(img.relPath)).toLowerCase()
      const list = map.get(k)
      if (list) list.push(img)
      else map.set(k, [img])
    }
    return map
  })
  return (fileName) => {
    const name = normalizePath(fileName)
    for (let i = 0; i < LEVELS.length; i++) {
      const hits = indexes[i].get(LEVELS[i](name).toLowerCase())
      if (!hits) continue
      return hits.length === 1 ? { id: hits[0].id } : { ambiguous: hits.map((h) => h.relPath) }
    }
    return null
  }
}
