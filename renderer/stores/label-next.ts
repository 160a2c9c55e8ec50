/**
 * "Label next" in the renderer, kept pure: the gallery's filters over a suggest:run list, the editor's
 * previous / next in that order, which suggestion the editor's button jumps to, the `?region=` route
 * query that carries a suggested region, and the view that shows such a region.
 */
import type { LabelStatus, SuggestRegion, Suggestion } from '../../core/contract'

/** The sort value of the gallery's "Label next" order (not an images:list sort: the list comes from suggest:run). */
export const LABEL_NEXT = 'next'

/** The suggestions a gallery shows under its status and name filters (a suggestion is never of a labeled image). */
export function filterSuggestions(items: readonly Suggestion[], f: { status: readonly LabelStatus[]; search: string }): Suggestion[] {
  const needle = f.search.trim().toLowerCase()
  return items.filter((s) => (f.status.length === 0 || f.status.includes(s.image.status)) && (needle === '' || s.imageName.toLowerCase().includes(needle)))
}

/** The images before and after `id` in a suggestion order (null at the ends or when `id` is not in it). */
export function neighborsIn(items: readonly Suggestion[], id: number): { prev: number | null; next: number | null } {
  const k = items.findIndex((s) => s.imageId === id)
  if (k < 0) return { prev: null, next: null }
  return { prev: k > 0 ? items[k - 1].imageId : null, next: k + 1 < items.length ? items[k + 1].imageId : null }
}

/**
 * Where the editor's "Label next" goes from image `currentId`: the best suggestion, except the whole
 * current image itself (the user is already on it); a region of the current image is a place to go.
 */
export function pickNext(items: readonly Suggestion[], currentId: number | null): Suggestion | null {
  return items.find((s) => !(s.imageId === currentId && s.region === null)) ?? null
}

/** A region as the editor route's `region` query value `x,y,width,height`. */
export function regionQuery(r: SuggestRegion): string {
  return `${r.x},${r.y},${r.width},${r.height}`
}

/** The region of a `region` query value, or null when it is missing or malformed. */
export function parseRegion(value: unknown): SuggestRegion | null {
  if (typeof value !== 'string' || !/^\d+,\d+,\d+,\d+$/.test(value)) return null
  const [x, y, width, height] = value.split(',').map(Number)
  return width > 0 && height > 0 ? { x, y, width, height } : null
}

/**
 * The view (scale, then offset in screen pixels) that shows `r` centred and whole in a viewW × viewH stage,
 * magnified at most 4× so the region keeps some of its surroundings in view.
 */
export function regionView(r: SuggestRegion, viewW: number, viewH: number, margin = 24, maxScale = 4): { scale: number; x: number; y: number } {
  const fit = Math.min((viewW - 2 * margin) / r.width, (viewH - 2 * margin) / r.height)
  const scale = Math.max(0.01, Math.min(maxScale, Number.isFinite(fit) && fit > 0 ? fit : 1))
  return { scale, x: Math.round(viewW / 2 - (r.x + r.width / 2) * scale), y: Math.round(viewH / 2 - (r.y + r.height / 2) * scale) }
}
