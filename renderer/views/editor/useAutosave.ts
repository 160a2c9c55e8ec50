/**
 * Never lose work: runs the {@link Autosave} scheduler on the editor's changes, saves on Ctrl+S, and
 * when the page goes away (`beforeunload` / `pagehide`) hands the unsaved mask to a transport that
 * outlives the page. If that is impossible (a mask too large for a beacon) the browser is asked to
 * confirm leaving, while a normal save runs.
 */
import { onBeforeUnmount, onMounted, ref, watch, type ShallowRef } from 'vue'
import type { MaskEditor } from '../../canvas'
import { Autosave, type SaveStatus } from './autosave'
import type { UnloadSave } from './useMaskSession'

export interface AutosaveDeps {
  editor: ShallowRef<MaskEditor | null>
  save: () => Promise<void>
  saveOnUnload: () => UnloadSave
}

export function useAutosave(deps: AutosaveDeps) {
  const status = ref<SaveStatus>({ kind: 'saved' })
  const autosave = new Autosave({
    save: deps.save,
    isDirty: () => deps.editor.value?.isDirty() ?? false,
    onStatus: (s) => (status.value = s),
  })
  const offs: Array<() => void> = []

  watch(deps.editor, (e) => {
    for (const off of offs.splice(0)) off()
    if (!e) return
    offs.push(
      e.on('change', () => autosave.changed()),
      e.on('save', () => void autosave.flush()),
    )
  }, { immediate: true })

  function onBeforeUnload(ev: BeforeUnloadEvent): void {
    if (deps.saveOnUnload() !== 'failed') return
    void autosave.flush()
    ev.preventDefault()
  }
  function onPageHide(): void {
    deps.saveOnUnload()
  }

  onMounted(() => {
    window.addEventListener('beforeunload', onBeforeUnload)
    window.addEventListener('pagehide', onPageHide)
  })
  onBeforeUnmount(() => {
    window.removeEventListener('beforeunload', onBeforeUnload)
    window.removeEventListener('pagehide', onPageHide)
    for (const off of offs.splice(0)) off()
    autosave.dispose()
  })

  return {
    status,
    /** Saves now; resolves false when the save failed (status says why). */
    flush: () => autosave.flush(),
  }
}
