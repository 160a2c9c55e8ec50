/**
 * The gallery's listing: filters and sort (the images:list query), the total, and a page cache the
 * virtual grid reads row by row. Any change to the filter or to the project's images restarts the
 * listing; the grid keeps showing the old total until the first new page arrives, so it never flashes.
 * The "Label next" sort lists the suggest:run ranking instead (unlabeled images and partly labeled ones,
 * best first) under the status and name filters.
 */
import { defineStore } from 'pinia'
import { computed, reactive, ref, shallowReactive, shallowRef, watch } from 'vue'
import { toErrorDto, type ErrorDto, type ImageQuery, type ImageSort, type ImageSummary, type LabelStatus } from '../../core/contract'
import { useClient } from '../api'
import { filterSuggestions, LABEL_NEXT } from './label-next'
import { labelNextList } from './label-next-list'
import { PagedList } from './paged-list'

export const PAGE_SIZE = 200
const SHOW_MASKS_KEY = 'labelloop.gallery.masks'

export interface GalleryFilters {
  status: LabelStatus[]
  search: string
  containsClass: number | null
  missingClass: number | null
  /** Only images whose current mask is an accepted pseudo-label (not painted or imported by a person). */
  pseudo: boolean
  sort: GallerySort
  order: 'asc' | 'desc'
}

/** An images:list sort, or "Label next" (the suggest:run order). */
export type GallerySort = ImageSort | typeof LABEL_NEXT

/** The images:list query (without paging) for a set of filters. */
export function toQuery(f: GalleryFilters): ImageQuery {
  const q: ImageQuery = f.sort === LABEL_NEXT ? { sort: 'added', order: 'asc' } : { sort: f.sort, order: f.order }
  if (f.status.length > 0 && f.status.length < 3) q.status = [...f.status]
  if (f.search.trim() !== '') q.search = f.search.trim()
  if (f.containsClass !== null) q.containsClass = f.containsClass
  if (f.missingClass !== null) q.missingClass = f.missingClass
  if (f.pseudo) q.source = ['pseudo-accepted']
  return q
}

export const useGalleryStore = defineStore('gallery', () => {
  const client = useClient()
  const filters = reactive<GalleryFilters>({ status: [], search: '', containsClass: null, missingClass: null, pseudo: false, sort: 'added', order: 'asc' })
  /** Whether thumbnails show their image's current mask (fetched only for the tiles on screen). */
  const showMasks = ref(localStorage.getItem(SHOW_MASKS_KEY) === '1')
  watch(showMasks, (on) => localStorage.setItem(SHOW_MASKS_KEY, on ? '1' : '0'))
  const version = ref(0)
  const error = ref<ErrorDto | null>(null)
  let range: [number, number] = [0, PAGE_SIZE - 1]

  const labelNext = labelNextList(client)

  async function suggestedPage(offset: number, limit: number): Promise<{ total: number; items: ImageSummary[] }> {
    const shown = filterSuggestions(await labelNext.items(), filters)
    return { total: shown.length, items: shown.slice(offset, offset + limit).map((s) => s.image) }
  }

  const list = new PagedList<ImageSummary>(
    PAGE_SIZE,
    (offset, limit) => (filters.sort === LABEL_NEXT ? suggestedPage(offset, limit) : client.invoke('images:list', { ...toQuery(filters), offset, limit })),
    () => version.value++,
    60,
    shallowReactive(new Map<number, ImageSummary[]>()),
  )

  const total = computed(() => {
    void version.value
    return list.total
  })
  const loaded = computed(() => {
    void version.value
    return list.loaded
  })
  /** One row per image for the virtual scroller; the row's index is its key. */
  const rows = shallowRef<Array<{ id: number }>>([])
  watch(total, (n) => {
    if (rows.value.length !== n) rows.value = Array.from({ length: n }, (_, id) => ({ id }))
  })

  /**
   * The image at listing position `index` once its page is loaded. Pages live in a reactive Map, so a
   * cell re-renders only when its own page arrives or is dropped.
   */
  function itemAt(index: number): ImageSummary | undefined {
    return list.get(index)
  }

  async function ensureRange(start: number, end: number): Promise<void> {
    range = [start, end]
    try {
      await list.ensureRange(start, end)
      error.value = null
    } catch (err) {
      error.value = toErrorDto(err)
    }
  }

  /** Restarts the listing (new filter, new images, another project) and reloads what is on screen. */
  function reload(): Promise<void> {
    list.reset()
    labelNext.reset()
    version.value++
    return ensureRange(range[0], range[1])
  }

  let timer: ReturnType<typeof setTimeout> | null = null
  function reloadSoon(ms: number): void {
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => void reload(), ms)
  }

  watch(() => filters.search, () => reloadSoon(200))
  watch(() => [filters.status.join(','), filters.containsClass, filters.missingClass, filters.pseudo, filters.sort, filters.order], () => reloadSoon(0))
  client.on('project:changed', (p) => {
    if (p.what !== 'classes') reloadSoon(120)
  })

  function resetFilters(): void {
    Object.assign(filters, { status: [], search: '', containsClass: null, missingClass: null, pseudo: false, sort: 'added', order: 'asc' })
  }

  return { filters, showMasks, total, loaded, rows, error, itemAt, ensureRange, reload, resetFilters, labelNext: labelNext.state, suggestions: labelNext.items }
})
