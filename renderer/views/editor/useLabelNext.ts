/**
 * The editor's "Label next" button: saves, asks suggest:run for the best suggestion that is not the
 * image on screen, and goes there; a suggested region (of another image through the route's `?region=`,
 * or of this one directly) is zoomed to once the image is shown. The reason stays in the header.
 */
import { ref, watch, type Ref } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import type { SuggestRegion } from '../../../core/contract'
import type { RendererClient } from '../../api'
import type { MaskEditor } from '../../canvas'
import { parseRegion, pickNext, regionQuery, regionView } from '../../stores/label-next'

/** Suggestions asked for: the image on screen can take at most one place, so two always give another. */
const ASK = 2

let seq = 0

export interface LabelNextDeps {
  client: RendererClient
  editor: Ref<MaskEditor | null>
  stage: Ref<HTMLElement | null>
  currentId: () => number | null
  /** True once the image of the route is shown and its mask loaded. */
  ready: () => boolean
  /** Saves pending edits; false when the save failed. */
  flush: () => Promise<boolean>
}

export function useLabelNext(d: LabelNextDeps) {
  const route = useRoute()
  const router = useRouter()
  const busy = ref(false)
  const reason = ref<string | null>(null)
  const message = ref<string | null>(null)
  /** The image the reason is about: it stays while that image is (or is about to be) on screen. */
  let reasonFor: number | null = null

  /** Shows `r` whole and centred, through the editor's public zoom and pan. */
  function zoomTo(r: SuggestRegion): void {
    const e = d.editor.value
    const el = d.stage.value
    if (!e || !el || el.clientWidth === 0) return
    const target = regionView(r, el.clientWidth, el.clientHeight)
    e.zoomBy(target.scale / e.getView().scale, 0, 0)
    const v = e.getView()
    e.panBy(target.x - v.x, target.y - v.y)
  }

  async function go(): Promise<void> {
    if (busy.value) return
    busy.value = true
    message.value = null
    try {
      if (!(await d.flush())) return
      const r = await d.client.invoke('suggest:run', { jobId: `editor-${++seq}`, limit: ASK })
      const next = pickNext(r.items, d.currentId())
      if (!next) {
        reason.value = null
        message.value = 'Nothing left to suggest: every image is labeled.'
        return
      }
      reason.value = `#${next.rank}: ${next.reason}`
      reasonFor = next.imageId
      if (next.imageId === d.currentId()) {
        if (next.region) zoomTo(next.region)
        return
      }
      const query = next.region ? { region: regionQuery(next.region) } : {}
      await router.push({ name: 'editor', params: { id: String(next.imageId) }, query })
    } catch (err) {
      message.value = err instanceof Error ? err.message : String(err)
    } finally {
      busy.value = false
    }
  }

  // A route's region is zoomed to once its image is on screen (opening an image fits it first).
  watch(
    () => [d.ready(), route.query.region] as const,
    ([ready, q]) => {
      const region = parseRegion(q)
      if (ready && region) zoomTo(region)
    },
  )
  // Another image reached by other means (next / previous, gallery) drops the old reason.
  watch(d.currentId, (id) => {
    if (id !== null && id !== reasonFor) reason.value = null
  })

  return { busy, reason, message, go }
}
