/**
 * Runs one trainer job: opens the project with the trainer's own SQLite connection (WAL lets the UI's
 * connection read and write beside it), picks the tfjs backend, runs the job from core/train/loop and
 * reports through `emit`. Progress messages are throttled to a few per second.
 */
import { AppError } from '../../core/contract'
import { ProjectStore } from '../../core/project'
import { deviceLine, selectBackend, type BackendName } from '../../core/train/backend'
import { evalJob, predictJob, RunRepo, trainJob } from '../../core/train/loop'
import { PretrainRepo } from '../../core/train/ssl/pretrain-repo'
import { pretrainJob } from '../../core/train/ssl/pretrain-job'
import { roundJob } from '../../core/train/pseudo/round-job'
import type { FromTrainer, JobResult, TrainerJob } from './protocol'

const PROGRESS_INTERVAL_MS = 250

/** Picks the backend of a run: forced when the config names one, else the first that loads. */
async function backendFor(name: 'auto' | BackendName, emit: (m: FromTrainer) => void): Promise<{ name: string; device: string }> {
  const choice = await selectBackend(name === 'auto' ? {} : { force: name })
  for (const t of choice.tried) if (!t.ok) emit({ type: 'log', level: 'info', message: `backend ${t.name} not used: ${t.reason ?? 'failed'}` })
  emit({ type: 'log', level: 'info', message: `backend ${choice.name}: ${choice.device}` })
  // The run's device line says which device trains and why the preferred ones were not used.
  return { name: choice.name, device: deviceLine(choice) }
}

/** Runs `job` to its result; throws AppError (CANCELLED for an aborted evaluation). */
export async function runJob(job: TrainerJob, signal: AbortSignal, emit: (m: FromTrainer) => void): Promise<JobResult> {
  const store = ProjectStore.open(job.projectPath)
  let last = 0
  const throttled = (m: FromTrainer, force: boolean): void => {
    const now = Date.now()
    if (!force && now - last < PROGRESS_INTERVAL_MS) return
    last = now
    emit(m)
  }
  try {
    if (job.kind === 'train') {
      const runs = new RunRepo(store)
      const config = runs.config(job.runId)
      let backend: { name: string; device: string }
      try {
        backend = await backendFor(job.backend === 'auto' ? config.backend : job.backend, emit)
      } catch (err) {
        runs.setStatus(job.runId, 'failed', err instanceof Error ? err.message : String(err))
        throw err
      }
      let phase = ''
      const run = await trainJob(store, {
        runId: job.runId,
        resume: job.resume,
        backend,
        signal,
        onProgress: (p) => {
          throttled({ type: 'progress', train: p }, p.phase !== phase || p.batch === p.batches)
          phase = p.phase
        },
        onEpoch: (metrics) => emit({ type: 'epoch', runId: job.runId, metrics }),
      })
      return { kind: 'train', run }
    }
    if (job.kind === 'pretrain') {
      const repo = new PretrainRepo(store)
      const config = repo.config(job.runId)
      let backend: { name: string; device: string }
      try {
        backend = await backendFor(job.backend === 'auto' ? config.backend : job.backend, emit)
      } catch (err) {
        repo.setStatus(job.runId, 'failed', err instanceof Error ? err.message : String(err))
        throw err
      }
      const run = await pretrainJob(store, {
        runId: job.runId, backend, signal,
        onProgress: (p) => throttled({ type: 'progress', train: p }, p.phase !== 'training' || p.batch === p.batches),
      })
      return { kind: 'pretrain', run }
    }
    await backendFor('auto', emit)
    const onProgress = (done: number, total: number, image: string | null): void =>
      throttled({ type: 'progress', images: { done, total, image } }, done === 0 || done === total)
    if (job.kind === 'predict') {
      if (job.round) return { kind: 'predict', result: await roundJob(store, { runId: job.runId, params: job.round, signal, onProgress }) }
      return { kind: 'predict', result: await predictJob(store, { runId: job.runId, images: job.images, signal, onProgress }) }
    }
    return { kind: 'eval', result: await evalJob(store, { runId: job.runId, masksDir: job.masksDir, signal, onProgress }) }
  } catch (err) {
    throw err instanceof AppError ? err : (ProjectStore.mapError(err, job.projectPath) as Error)
  } finally {
    store.close()
  }
}
