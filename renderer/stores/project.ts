/**
 * The open project, the recent list and app facts (mode, projects folder). Every view reads the project
 * from here; actions report failures as a displayable ErrorDto instead of throwing into templates.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { toErrorDto, type ErrorDto, type NewClass, type Output, type ProjectInfo, type RecentProject } from '../../core/contract'
import { useClient } from '../api'

export type AppInfo = Output<'app:info'>

export const useProjectStore = defineStore('project', () => {
  const client = useClient()
  const app = ref<AppInfo | null>(null)
  const current = ref<ProjectInfo | null>(null)
  const recent = ref<RecentProject[]>([])
  /** What is running right now ("Opening project…"), for buttons and the status area. */
  const busy = ref<string | null>(null)
  const error = ref<ErrorDto | null>(null)
  const isOpen = computed(() => current.value !== null)

  /** Runs an action with a busy label; a failure lands in `error` and the result is null. */
  async function run<T>(label: string, action: () => Promise<T>): Promise<T | null> {
    busy.value = label
    error.value = null
    try {
      return await action()
    } catch (err) {
      error.value = toErrorDto(err)
      return null
    } finally {
      busy.value = null
    }
  }

  async function init(): Promise<void> {
    await run('Starting…', async () => {
      const [info, open, list] = await Promise.all([
        client.invoke('app:info', {}),
        client.invoke('project:current', {}),
        client.invoke('project:recent', {}),
      ])
      app.value = info
      current.value = open
      recent.value = list
    })
  }

  async function loadRecent(): Promise<void> {
    try {
      recent.value = await client.invoke('project:recent', {})
    } catch (err) {
      error.value = toErrorDto(err)
    }
  }

  async function adopt(info: ProjectInfo | null): Promise<ProjectInfo | null> {
    if (info) {
      current.value = info
      await loadRecent()
    }
    return info
  }

  const create = (path: string, name: string, classes: NewClass[]) =>
    run('Creating project…', () => client.invoke('project:create', { path, name, classes })).then(adopt)
  const open = (path: string) => run('Opening project…', () => client.invoke('project:open', { path })).then(adopt)
  const openSample = () => run('Preparing the sample project…', () => client.invoke('project:openSample', {})).then(adopt)

  async function close(): Promise<void> {
    await run('Closing project…', () => client.invoke('project:close', {}))
    current.value = null
    await loadRecent()
  }

  /** Re-reads the open project (counts change as images are imported and masks saved). */
  async function refresh(): Promise<void> {
    try {
      current.value = await client.invoke('project:current', {})
    } catch (err) {
      error.value = toErrorDto(err)
    }
  }

  let refreshTimer: ReturnType<typeof setTimeout> | null = null
  client.on('project:changed', () => {
    if (refreshTimer) clearTimeout(refreshTimer)
    refreshTimer = setTimeout(() => void refresh(), 150)
  })

  return { app, current, recent, busy, error, isOpen, init, loadRecent, create, open, openSample, close, refresh }
})
