/**
 * One import at a time: upload (browser mode) or resolve paths (Electron), then images:import with
 * live import:progress, Cancel at either stage, and the final report. Lives in a store so the top bar
 * can show progress while the dialog is closed.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { toErrorDto, type ErrorDto, type EventPayload, type ImportResult } from '../../core/contract'
import { useClient, type PickedFile } from '../api'
import { randomId } from '../api/web-transport'
import { useGalleryStore } from './gallery'
import { commonDir } from './paths'
import { useProjectStore } from './project'

export type ImportSource = { kind: 'files'; files: PickedFile[] } | { kind: 'paths'; paths: string[] }
export type MasksSource = { kind: 'files'; files: PickedFile[] } | { kind: 'dir'; dir: string } | null
export type ImportPhase = 'idle' | 'uploading' | 'importing' | 'done' | 'failed'

export const useImportStore = defineStore('import', () => {
  const client = useClient()
  const phase = ref<ImportPhase>('idle')
  const done = ref(0)
  const total = ref(0)
  const currentFile = ref('')
  const counts = ref({ imported: 0, skipped: 0, failed: 0 })
  const result = shallowRef<ImportResult | null>(null)
  const error = ref<ErrorDto | null>(null)
  const running = computed(() => phase.value === 'uploading' || phase.value === 'importing')
  let jobId = ''
  let abort: AbortController | null = null

  client.on('import:progress', (p: EventPayload<'import:progress'>) => {
    if (p.jobId !== jobId || phase.value !== 'importing') return
    done.value = p.done
    total.value = p.total
    currentFile.value = p.file
    counts.value = { imported: p.imported, skipped: p.skipped, failed: p.failed }
  })

  async function toPaths(files: PickedFile[], purpose: 'images' | 'masks', signal: AbortSignal): Promise<string[]> {
    total.value = files.length
    done.value = 0
    return client.transferFiles(files, purpose, {
      signal,
      onProgress: (n, of) => {
        done.value = n
        total.value = of
        currentFile.value = files[n - 1]?.relPath ?? ''
      },
    })
  }

  /** Runs the whole import; the outcome is in `result` (or `error`), never thrown. */
  async function start(images: ImportSource, masks: MasksSource): Promise<void> {
    if (running.value) return
    jobId = randomId()
    abort = new AbortController()
    result.value = null
    error.value = null
    counts.value = { imported: 0, skipped: 0, failed: 0 }
    currentFile.value = ''
    try {
      phase.value = 'uploading'
      const paths = images.kind === 'paths' ? images.paths : await toPaths(images.files, 'images', abort.signal)
      let masksDir: string | undefined
      if (masks?.kind === 'dir') masksDir = masks.dir
      if (masks?.kind === 'files' && masks.files.length > 0) masksDir = commonDir(await toPaths(masks.files, 'masks', abort.signal))
      phase.value = 'importing'
      done.value = 0
      total.value = paths.length
      result.value = await client.invoke('images:import', masksDir ? { jobId, paths, masksDir } : { jobId, paths })
      phase.value = 'done'
    } catch (err) {
      error.value = toErrorDto(err)
      phase.value = 'failed'
    } finally {
      abort = null
    }
    // Whatever happened, images may have arrived: show them without waiting for events.
    await Promise.all([useProjectStore().refresh(), useGalleryStore().reload()])
  }

  async function cancel(): Promise<void> {
    if (phase.value === 'uploading') abort?.abort()
    if (phase.value === 'importing') {
      try {
        await client.invoke('images:cancelImport', { jobId })
      } catch (err) {
        error.value = toErrorDto(err)
      }
    }
  }

  /** Back to idle once the user has read the report. */
  function dismiss(): void {
    if (running.value) return
    phase.value = 'idle'
    result.value = null
    error.value = null
  }

  return { phase, done, total, currentFile, counts, result, error, running, start, cancel, dismiss }
})
