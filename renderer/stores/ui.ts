/** App-wide UI state that several views share: the import dialog and files waiting for it. */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { PickedFile } from '../api'

export const useUiStore = defineStore('ui', () => {
  const importOpen = ref(false)
  /** Files dropped onto the gallery, handed to the import dialog when it opens. */
  const droppedFiles = shallowRef<PickedFile[]>([])
  /** Bumped to ask the Home view to focus the New project form (menu command). */
  const newProjectRequest = ref(0)

  function openImport(files: PickedFile[] = []): void {
    droppedFiles.value = files
    importOpen.value = true
  }

  return { importOpen, droppedFiles, newProjectRequest, openImport }
})
