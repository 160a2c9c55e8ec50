/**
 * Previous / next image in the gallery's current order and filters (images:neighbors), with keys:
 * PageUp / PageDown and Alt+← / Alt+→. Moving goes through the router, whose guard saves first. Under
 * the gallery's "Label next" sort the order is that ranking's.
 */
import { onBeforeUnmount, onMounted, ref, watch } from 'vue'
import type { RendererClient } from '../../api'
import { toQuery, useGalleryStore } from '../../stores/gallery'
import { LABEL_NEXT, neighborsIn } from '../../stores/label-next'
import { navDirection } from './nav-keys'

export function useImageNav(client: RendererClient, currentId: () => number | null, go: (id: number) => void) {
  const gallery = useGalleryStore()
  const prev = ref<number | null>(null)
  const next = ref<number | null>(null)

  async function refresh(): Promise<void> {
    const id = currentId()
    if (id === null) return
    try {
      const n = gallery.filters.sort === LABEL_NEXT ? neighborsIn(await gallery.suggestions(), id) : await client.invoke('images:neighbors', { id, query: toQuery(gallery.filters) })
      if (currentId() !== id) return
      prev.value = n.prev
      next.value = n.next
    } catch {
      prev.value = null
      next.value = null
    }
  }

  function move(direction: 'prev' | 'next'): void {
    const target = direction === 'prev' ? prev.value : next.value
    if (target !== null) go(target)
  }

  function onKey(e: KeyboardEvent): void {
    const target = e.target as HTMLElement | null
    if (target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) && target.getAttribute('type') !== 'range') return
    const d = navDirection(e)
    if (!d) return
    e.preventDefault()
    move(d)
  }

  watch(currentId, () => void refresh(), { immediate: true })
  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))

  return { prev, next, move, refresh }
}
