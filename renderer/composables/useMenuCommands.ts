/**
 * Electron's application menu (New, Open, Import) drives the same actions as the Home and Gallery
 * buttons. In browser mode there is no menu and this does nothing.
 */
import { onBeforeUnmount } from 'vue'
import { useRouter } from 'vue-router'
import { useClient } from '../api'
import { useProjectStore } from '../stores/project'
import { useUiStore } from '../stores/ui'

export function useMenuCommands(): void {
  const client = useClient()
  const router = useRouter()
  const project = useProjectStore()
  const ui = useUiStore()

  const off = client.onMenu(async (command) => {
    if (command === 'new-project') {
      await router.push({ name: 'home' })
      ui.newProjectRequest++
    } else if (command === 'open-project' && client.dialogs) {
      const [path] = await client.dialogs.openFiles('project')
      if (!path) return
      // Leave the current view first so the editor saves its mask into the project it came from.
      await router.push({ name: 'home' })
      if (await project.open(path)) await router.push({ name: 'gallery' })
    } else if (command === 'import' && project.isOpen) {
      ui.openImport()
    }
  })
  onBeforeUnmount(off)
}
