/**
 * The training supervisor: starts trainer processes (one job at a time), relays their messages to the
 * host's event stream, cancels them, and, when a trainer crashes or is killed, marks its run failed
 * with the reason so the app keeps working. Runs, the active model and export are answered from the
 * services' own connection to the project.
 */
import { AppError, fromErrorDto, PretrainConfig, type EvalResult, type Input, type ParsedInput, type PredictResult, type PretrainSummary, type RoundParams, type RunSummary, type TrainConfigPatch } from '../../../core/contract'
import type { ProjectStore } from '../../../core/project'
import { exportModel } from '../../../core/train/loop/model-io'
import { recommendedPreset } from '../../../core/train/loop/project-source'
import { defaultPreset, resolveTrainConfig } from '../../../core/train/loop/config'
import { RunRepo } from '../../../core/train/loop/run-repo'
import { PretrainRepo } from '../../../core/train/ssl/pretrain-repo'
import type { ServiceContext } from '../context'
import { FromTrainer, type JobResult, type TrainerJob } from '../../trainer/protocol'
import { forkTrainer, type TrainerFactory, type TrainerHandle } from '../../trainer/spawn'

/** The job running in a trainer process. */
interface ActiveJob {
  job: TrainerJob
  handle: TrainerHandle
  finished: Promise<JobResult>
}

/**
 * A cancelled run that saved a checkpoint becomes the active model when the project has none, so the
 * user can predict and review at once (a completed or time-limited run already is the active model
 * then: the newest finished run with a checkpoint is). Returns the run as it now reads (`active` says so).
 */
export function adoptIfNoModel(runs: RunRepo, run: RunSummary): RunSummary {
  if (run.status !== 'cancelled' || runs.activeRunId() !== null || !runs.bestCheckpoint(run.id)) return run
  runs.setActive(run.id)
  return runs.get(run.id)
}

/** A trainer log line as a progress message of a run that is preparing ("backend wasm: CPU …" → "started the wasm backend (CPU …)"). */
export function preparingMessage(log: string): string {
  const backend = /^backend (\S+): (.*)$/.exec(log)
  if (backend) return `started the ${backend[1]} backend (${backend[2]})`
  const skipped = /^backend (\S+) not used: (.*)$/.exec(log)
  if (skipped) return `${skipped[1]} is not available: ${skipped[2]}`
  return log
}

/** How long a cancelled trainer may take to stop before it is killed. */
const CANCEL_GRACE_MS = 15_000

export class TrainingSupervisor {
  private active: ActiveJob | null = null
  /** The training run still preparing (no batch yet), whose trainer logs become progress messages. */
  private preparing: { runId: number; epochs: number } | null = null

  private readonly spawn: TrainerFactory

  constructor(
    private readonly ctx: ServiceContext,
    spawn?: TrainerFactory,
  ) {
    this.spawn = spawn ?? forkTrainer
  }

  private runs(store: ProjectStore = this.ctx.requireStore()): RunRepo {
    return new RunRepo(store)
  }

  /** Resolves the options (preset given; else `auto`, or the class balance's preset when a recipe option is set), queues a run and starts it. */
  start(patch: TrainConfigPatch): { runId: number } {
    const store = this.ctx.requireStore()
    this.assertIdle()
    const config = resolveTrainConfig(patch, defaultPreset(patch, recommendedPreset(store).preset))
    const runId = this.runs(store).create(config)
    this.launchTrain(store, runId, false)
    return { runId }
  }

  /** Queues self-supervised pretraining of the encoder on every image and starts it. */
  pretrain(input: ParsedInput<'pretrain:start'>): { runId: number } {
    const store = this.ctx.requireStore()
    this.assertIdle()
    const given = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined))
    const runs = new PretrainRepo(store)
    const runId = runs.create(PretrainConfig.parse(given))
    const active = this.launch({ kind: 'pretrain', projectPath: store.path, runId, backend: 'auto' })
    this.ctx.emit('train:status', { runId, status: 'running', error: null, run: null })
    active.finished.then(
      (result) => {
        const run = result.kind === 'pretrain' ? result.run : runs.get(runId)
        this.ctx.emit('train:status', { runId, status: run.status, error: run.error, run: null })
      },
      (err: unknown) => {
        const message = err instanceof Error ? err.message : String(err)
        const current = store.isOpen ? runs.get(runId) : null
        if (current && (current.status === 'running' || current.status === 'queued')) runs.setStatus(runId, 'failed', message)
        this.ctx.emit('train:status', { runId, status: 'failed', error: current?.error ?? message, run: null })
      },
    )
    return { runId }
  }

  /** The newest pretraining run, or null. */
  latestPretrain(): PretrainSummary | null {
    return new PretrainRepo(this.ctx.requireStore()).latest()
  }

  /**
   * Continues a stopped run from its last checkpoint. A run still marked running while no trainer runs
   * here was cut short (the app itself was killed) and resumes like a failed one.
   */
  resume(input: ParsedInput<'train:resume'>): { runId: number } {
    const store = this.ctx.requireStore()
    this.assertIdle()
    const run = this.runs(store).get(input.runId)
    this.launchTrain(store, run.id, true)
    return { runId: run.id }
  }

  /** Asks the running training to stop (it does within a batch) and kills it if it has not after a grace period. */
  cancel(input: ParsedInput<'train:cancel'>): null {
    const a = this.active
    if (a && (a.job.kind === 'train' || a.job.kind === 'pretrain') && (input.runId === undefined || input.runId === a.job.runId)) this.stop(a)
    return null
  }

  /** Cancels a running prediction or evaluation. */
  cancelImages(input: ParsedInput<'predict:cancel'>): null {
    const a = this.active
    if (a && (a.job.kind === 'predict' || a.job.kind === 'eval') && a.job.jobId === input.jobId) this.stop(a)
    return null
  }

  list(): RunSummary[] {
    return this.runs().list()
  }

  get(input: ParsedInput<'runs:get'>): RunSummary {
    return this.runs().get(input.id)
  }

  setActive(input: ParsedInput<'runs:setActive'>): RunSummary {
    const runs = this.runs()
    runs.setActive(input.id)
    return runs.get(input.id)
  }

  delete(input: ParsedInput<'runs:delete'>): { deleted: number } {
    const a = this.active
    if (a && a.job.kind === 'train' && a.job.runId === input.id) throw new AppError('BUSY', `run ${input.id} is training; cancel it before deleting it`)
    return { deleted: this.runs().delete(input.id) }
  }

  /** Predicts images into a new pseudo-label round (thresholded and scored with `round`); resolves when the job ends. */
  async predict(input: ParsedInput<'predict:start'> & { round?: RoundParams }): Promise<PredictResult> {
    const store = this.ctx.requireStore()
    this.assertIdle()
    const result = await this.launch({ kind: 'predict', projectPath: store.path, jobId: input.jobId, runId: input.runId, images: input.images, round: input.round }).finished
    if (result.kind !== 'predict') throw new AppError('INTERNAL', 'trainer answered a prediction with another kind of result')
    this.ctx.emit('project:changed', { what: 'masks' })
    return result.result
  }

  /** Scores the active model against ground-truth masks; resolves when the job ends. */
  async evaluate(input: ParsedInput<'models:evaluate'>): Promise<EvalResult> {
    const store = this.ctx.requireStore()
    this.assertIdle()
    const result = await this.launch({ kind: 'eval', projectPath: store.path, jobId: input.jobId, runId: input.runId, masksDir: input.masksDir }).finished
    if (result.kind !== 'eval') throw new AppError('INTERNAL', 'trainer answered an evaluation with another kind of result')
    return result.result
  }

  exportModel(input: Input<'models:export'>): Promise<{ dir: string; files: string[] }> {
    return exportModel(this.ctx.requireStore(), input.dir, input.runId)
  }

  /** Waits for the running job (if any) to end, whatever its outcome. */
  async idle(): Promise<void> {
    await this.active?.finished.catch(() => undefined)
  }

  /** Stops any running job (cancel, then kill) and waits for it. */
  async close(): Promise<void> {
    const a = this.active
    if (!a) return
    this.stop(a)
    await a.finished.catch(() => undefined)
  }

  private assertIdle(): void {
    if (this.active) {
      const job = this.active.job
      const what = job.kind === 'train' ? `run ${job.runId} is training` : job.kind === 'pretrain' ? `pretraining run ${job.runId} is running` : `a ${job.kind} job is running`
      throw new AppError('BUSY', `${what}; one training or prediction job at a time`)
    }
  }

  private stop(a: ActiveJob): void {
    a.handle.send({ type: 'cancel' })
    const timer = setTimeout(() => a.handle.kill(), CANCEL_GRACE_MS)
    a.finished.finally(() => clearTimeout(timer)).catch(() => undefined)
  }

  private launchTrain(store: ProjectStore, runId: number, resume: boolean): void {
    const runs = this.runs(store)
    const epochs = runs.config(runId).epochs
    const active = this.launch({ kind: 'train', projectPath: store.path, runId, resume, backend: 'auto' })
    this.ctx.emit('train:status', { runId, status: 'running', error: null, run: null })
    this.preparing = { runId, epochs }
    this.say('starting the trainer process')
    active.finished.then(
      (result) => {
        const run = result.kind === 'train' ? result.run : runs.get(runId)
        this.ctx.emit('train:status', { runId, status: run.status, error: run.error, run: adoptIfNoModel(runs, run) })
      },
      (err: unknown) => {
        const message = err instanceof Error ? err.message : String(err)
        const current = store.isOpen ? runs.get(runId) : null
        if (store.isOpen && current && (current.status === 'running' || current.status === 'queued')) runs.setStatus(runId, 'failed', message)
        const run = store.isOpen ? runs.get(runId) : null
        this.ctx.emit('train:status', { runId, status: 'failed', error: run?.error ?? message, run })
      },
    )
  }

  private launch(job: TrainerJob): ActiveJob {
    const handle = this.spawn()
    let settled = false
    const finished = new Promise<JobResult>((resolve, reject) => {
      handle.onMessage((raw) => {
        const parsed = FromTrainer.safeParse(raw)
        if (!parsed.success) return
        const msg = parsed.data
        if (msg.type === 'done') {
          settled = true
          resolve(msg.result)
        } else if (msg.type === 'error') {
          settled = true
          reject(fromErrorDto(msg.error))
        } else this.relay(job, msg)
      })
      handle.onExit((reason) => {
        if (!settled) reject(new AppError('INTERNAL', reason ?? 'trainer process exited without a result'))
      })
    })
    const active: ActiveJob = { job, handle, finished }
    this.active = active
    const clear = (): void => {
      if (this.active === active) this.active = null
    }
    finished.then(clear, clear)
    handle.send({ type: 'start', job })
    return active
  }

  /** Tells the UI what a run does before its first batch (the loop's own messages follow). */
  private say(message: string): void {
    const p = this.preparing
    if (p) this.ctx.emit('train:progress', { runId: p.runId, phase: 'preparing', epoch: 0, epochs: p.epochs, batch: 0, batches: 0, loss: null, imagesPerSecond: null, etaSeconds: null, message })
  }

  private relay(job: TrainerJob, msg: FromTrainer): void {
    if (msg.type === 'progress' && msg.train?.phase !== 'preparing') this.preparing = null
    if (msg.type === 'log' && job.kind === 'train' && msg.level === 'info') this.say(preparingMessage(msg.message))
    if (msg.type === 'progress' && msg.train) this.ctx.emit('train:progress', msg.train)
    else if (msg.type === 'progress' && msg.images && (job.kind === 'predict' || job.kind === 'eval')) {
      this.ctx.emit('predict:progress', { jobId: job.jobId, kind: job.kind, ...msg.images })
    } else if (msg.type === 'epoch') this.ctx.emit('train:epoch', { runId: msg.runId, metrics: msg.metrics })
  }
}
