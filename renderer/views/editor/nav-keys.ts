/** The editor's image-navigation keys, as a pure mapping so it is tested without a DOM. */

/** The fields of a KeyboardEvent the mapping reads. */
export interface NavKey {
  key: string
  altKey: boolean
  ctrlKey: boolean
  metaKey: boolean
  shiftKey: boolean
}

/** Which way a key moves (PageUp / PageDown, Alt+← / Alt+→), or null when it is not a navigation key. */
export function navDirection(e: NavKey): 'prev' | 'next' | null {
  if (e.ctrlKey || e.metaKey || e.shiftKey) return null
  if (e.key === 'PageDown' && !e.altKey) return 'next'
  if (e.key === 'PageUp' && !e.altKey) return 'prev'
  if (e.altKey && e.key === 'ArrowRight') return 'next'
  if (e.altKey && e.key === 'ArrowLeft') return 'prev'
  return null
}

