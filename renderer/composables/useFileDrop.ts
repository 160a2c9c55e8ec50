/** Drag-and-drop of files and folders onto an element: a highlight while dragging, the files on drop. */
import { ref, type Ref } from 'vue'
import { useClient, type PickedFile } from '../api'
import { filesFromDrop } from './dropped-files'

export function useFileDrop(onFiles: (files: PickedFile[]) => void): {
  dragging: Ref<boolean>
  onDragOver: (e: DragEvent) => void
  onDragLeave: (e: DragEvent) => void
  onDrop: (e: DragEvent) => Promise<void>
} {
  const client = useClient()
  const dragging = ref(false)
  const hasFiles = (e: DragEvent): boolean => Array.from(e.dataTransfer?.types ?? []).includes('Files')

  return {
    dragging,
    onDragOver(e) {
      if (!hasFiles(e)) return
      e.preventDefault()
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy'
      dragging.value = true
    },
    onDragLeave(e) {
      const to = e.relatedTarget as Node | null
      if (!to || !(e.currentTarget as Node).contains(to)) dragging.value = false
    },
    async onDrop(e) {
      dragging.value = false
      if (!e.dataTransfer || !hasFiles(e)) return
      e.preventDefault()
      const files = await filesFromDrop(e.dataTransfer, client.mode === 'browser')
      if (files.length > 0) onFiles(files)
    },
  }
}
