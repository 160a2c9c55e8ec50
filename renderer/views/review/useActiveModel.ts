/**
 * The project's active model as the Review view needs it: loaded from the runs, refreshed when a run
 * ends, and settable to a run that saved a checkpoint. Failures land in `error`.
 */
import { computed, onBeforeUnmount, ref, shallowRef } from 'vue'
import { toErrorDto, type ErrorDto, type RunSummary } from '../../../core/contract'
import { useClient } from '../../api'
import { modelChoice } from './model-choice'

export function useActiveModel() {
  const client = useClient()
  const runs = shallowRef<RunSummary[]>([])
  const loaded = ref(false)
  const error = ref<ErrorDto | null>(null)
  const choice = computed(() => modelChoice(runs.value))

  async function load(): Promise<void> {
    try {
      runs.value = await client.invoke('runs:list', {})
    } catch (err) {
      error.value = toErrorDto(err)
    } finally {
      loaded.value = true
    }
  }

  /** Makes run `id` the active model. */
  async function use(id: number): Promise<void> {
    try {
      await client.invoke('runs:setActive', { id })
      error.value = null
    } catch (err) {
      error.value = toErrorDto(err)
    }
    await load()
  }

  const offStatus = client.on('train:status', (s) => {
    if (s.status !== 'running' && s.status !== 'queued') void load()
  })
  const offProject = client.on('project:changed', (p) => {
    if (p.what === 'project') void load()
  })
  onBeforeUnmount(() => {
    offStatus()
    offProject()
  })

  return { choice, loaded, error, load, use }
}
