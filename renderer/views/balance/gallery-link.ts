/**
 * Where the Balance view sends the user: the gallery filtered to images that contain (or miss) a class,
 * or an image in the mask editor when the app has an `editor` route. The gallery's filters live in its
 * store, so they are set there before navigating.
 */
import type { Router } from 'vue-router'
import { useGalleryStore } from '../../stores/gallery'

/** Opens the gallery showing only images that contain `containsClass` or miss `missingClass`. */
export async function openGalleryFiltered(router: Router, filter: { containsClass?: number; missingClass?: number }): Promise<void> {
  const gallery = useGalleryStore()
  gallery.resetFilters()
  gallery.filters.containsClass = filter.containsClass ?? null
  gallery.filters.missingClass = filter.missingClass ?? null
  await router.push({ name: 'gallery' })
}

/**
 * Opens an image in the editor when an `editor` route exists (its first path parameter gets the id);
 * returns false when there is none, so the caller can fall back to the gallery.
 */
export async function openInEditor(router: Router, imageId: number): Promise<boolean> {
  const route = router.getRoutes().find((r) => r.name === 'editor')
  if (!route) return false
  const param = /:(\w+)/.exec(route.path)?.[1]
  await router.push(param ? { name: 'editor', params: { [param]: String(imageId) } } : { name: 'editor', query: { image: String(imageId) } })
  return true
}
