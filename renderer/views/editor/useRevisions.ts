/**
 * The revision list of the image in the editor, refreshed after every save, and restoring one
 * (masks:restore appends a copy of it as the newest revision; nothing is rewritten).
 */
import { ref, watch, type Ref } from 'vue'
import { toErrorDto, type ErrorDto, type MaskRevision } from '../../../core/contract'
import type { RendererClient } from '../../api'

export interface RevisionDeps {
  imageId: () => number | null
  /** Changes after each save or restore. */
  savedCount: Ref<number>
  /** Saves unsaved work first, so a restore never discards it; false when that failed. */
  flush: () => Promise<boolean>
  /** Loads the restored mask into the editor. */
  reloadMask: () => Promise<void>
}

export function useRevisions(client: RendererClient, deps: RevisionDeps) {
  const revisions = ref<MaskRevision[]>([])
  const error = ref<ErrorDto | null>(null)
  const busy = ref(false)

  async function refresh(): Promise<void> {
    const id = deps.imageId()
    if (id === null) {
      revisions.value = []
      return
    }
    try {
      const list = await client.invoke('masks:revisions', { imageId: id })
      if (deps.imageId() === id) revisions.value = [...list].sort((a, b) => b.id - a.id)
    } catch (err) {
      error.value = toErrorDto(err)
    }
  }

  async function restore(revisionId: number): Promise<void> {
    const id = deps.imageId()
    if (id === null || busy.value) return
    busy.value = true
    error.value = null
    try {
      if (!(await deps.flush())) return
      await client.invoke('masks:restore', { imageId: id, revisionId })
      await deps.reloadMask()
    } catch (err) {
      error.value = toErrorDto(err)
    } finally {
      busy.value = false
    }
  }

  watch(deps.savedCount, () => void refresh())

  return { revisions, error, busy, refresh, restore }
}
