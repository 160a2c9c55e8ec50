/**
 * Training runs, their checkpoints and prediction rounds in the project file (tables `runs`,
 * `checkpoints`, `rounds`, `pseudo_labels`). Both the trainer process (writing) and the services
 * (reading, deleting, choosing the active model) use it, each through its own connection; WAL lets
 * them work side by side. A run keeps two checkpoints: its latest (for resuming) and its best.
 * Pretraining runs (kind 'pretrain', core/train/ssl/pretrain-repo) share the tables and are not listed here.
 */
import { hostname } from 'node:os'
import { AppError, RunReport, RunStatus, StopMetric, TrainConfig, type EpochMetrics, type RunSummary } from '../../contract'
import type { ProjectStore } from '../../project'
import type { SerialisedModel, SerialisedOptimizer } from './checkpoint'
import type { CheckpointData, LoopState } from './state'

interface RunRow {
  id: number
  created_at: string
  started_at: string | null
  finished_at: string | null
  status: string
  config: string
  backend: string | null
  device: string | null
  epochs: string
  best_metric_name: string | null
  best_metric: number | null
  error: string | null
  report: string | null
}

/** A stored checkpoint with everything needed to resume or predict. */
export interface StoredCheckpoint {
  id: number
  runId: number
  epoch: number
  isBest: boolean
  model: SerialisedModel
  optimizer: SerialisedOptimizer | null
  state: LoopState
}

const ACTIVE_KEY = 'active_run_id'
const now = (): string => new Date().toISOString()

/** Whether a process with this pid exists (EPERM: it exists but belongs to someone else). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The database spells the contract's 'completed' as 'done' (migration 2). */
function toDbStatus(status: RunStatus): string {
  return status === 'completed' ? 'done' : status
}
function fromDbStatus(status: string): RunStatus {
  return status === 'done' ? 'completed' : RunStatus.parse(status)
}

export class RunRepo {
  constructor(private readonly store: ProjectStore) {}

  private get db(): ProjectStore['db'] {
    return this.store.db
  }

  /**
   * Adds a queued run with its full configuration; returns its id. The creating process is recorded as
   * its owner until a trainer takes it (markRunning), so a run whose creator died before any trainer
   * started does not stay queued for ever.
   */
  create(config: TrainConfig): number {
    return this.store.write(() => {
      const at = now()
      const info = this.db.prepare('INSERT INTO runs (created_at, status, config, trainer_pid, trainer_host) VALUES (?, ?, ?, ?, ?)').run(at, 'queued', JSON.stringify(config), process.pid, hostname())
      return Number(info.lastInsertRowid)
    })
  }

  /** The run's configuration; NOT_FOUND for an unknown id. */
  config(id: number): TrainConfig {
    return TrainConfig.parse(JSON.parse(this.row(id).config))
  }

  /**
   * Marks a run running on a backend (clears an earlier failure when it resumes) in this process, whose
   * pid and host name are recorded for `failInterrupted`.
   */
  markRunning(id: number, backend: string, device: string): void {
    this.store.write(() => {
      this.row(id)
      this.db
        .prepare(`UPDATE runs SET status = 'running', started_at = COALESCE(started_at, ?), finished_at = NULL, backend = ?, device = ?, error = NULL, trainer_pid = ?, trainer_host = ? WHERE id = ?`)
        .run(now(), backend, device, process.pid, hostname(), id)
    })
  }

  /**
   * Runs (training or pretraining) still marked running whose trainer process on this machine no longer
   * exists — LabelLoop or the CLI was closed or killed mid-run — become failed with that reason, so they
   * stop showing as running and can be resumed. A run whose process is alive (training elsewhere, e.g.
   * from the CLI) or on another machine is left alone. Returns the ids changed.
   */
  failInterrupted(alive: (pid: number) => boolean = processAlive): number[] {
    return this.store.write(() => {
      const rows = this.db.prepare(`SELECT id, status, trainer_pid AS pid FROM runs WHERE status IN ('running', 'queued') AND trainer_pid IS NOT NULL AND trainer_host = ?`).all(hostname()) as { id: number; status: string; pid: number }[]
      const gone = rows.filter((r) => !alive(r.pid))
      const update = this.db.prepare(`UPDATE runs SET status = 'failed', finished_at = ?, error = ? WHERE id = ?`)
      for (const r of gone) {
        update.run(now(), r.status === 'queued'
          ? `interrupted: the process that queued it (pid ${r.pid}) ended before a trainer started, because LabelLoop or the command line was closed or killed; start it again or resume`
          : `interrupted: its trainer process (pid ${r.pid}) ended without finishing, because LabelLoop or the command line was closed or killed during the run; resume continues from the last checkpoint`, r.id)
      }
      return gone.map((r) => r.id)
    })
  }

  /** Records the epochs so far and the best value of the stop metric. */
  recordEpochs(id: number, state: LoopState): void {
    this.store.write(() => {
      this.db.prepare('UPDATE runs SET epochs = ?, best_metric_name = ?, best_metric = ? WHERE id = ?')
        .run(JSON.stringify(state.epochs), state.best?.metric ?? null, state.best?.value ?? null, id)
    })
  }

  /** Stores the run's report (stop reason, budget, race, calibration). */
  setReport(id: number, report: RunReport): void {
    this.store.write(() => {
      this.db.prepare('UPDATE runs SET report = ? WHERE id = ?').run(JSON.stringify(report), id)
    })
  }

  /** Replaces the loop state stored with a checkpoint (e.g. to add the calibration fitted at the end of the run). */
  updateCheckpointState(checkpointId: number, state: LoopState): void {
    this.store.write(() => {
      const row = this.db.prepare('SELECT state FROM checkpoints WHERE id = ?').get(checkpointId) as { state: string } | undefined
      if (!row) throw new AppError('NOT_FOUND', `checkpoint ${checkpointId} does not exist in ${this.store.path}`)
      const stored = JSON.parse(row.state) as { loop: LoopState; optimizerSpecs?: SerialisedOptimizer['specs'] }
      this.db.prepare('UPDATE checkpoints SET state = ? WHERE id = ?').run(JSON.stringify({ ...stored, loop: state }), checkpointId)
    })
  }

  /** Sets a final (or queued/running) status; `error` says why a run failed. */
  setStatus(id: number, status: RunStatus, error: string | null = null): void {
    const terminal = status === 'completed' || status === 'failed' || status === 'cancelled'
    this.store.write(() => {
      this.row(id)
      this.db.prepare('UPDATE runs SET status = ?, error = ?, finished_at = ? WHERE id = ?').run(toDbStatus(status), error, terminal ? now() : null, id)
    })
  }

  /**
   * Stores an epoch's checkpoint and drops the run's checkpoints that are neither the new one nor the
   * best one, in one transaction. Returns the new checkpoint's id.
   */
  saveCheckpoint(runId: number, c: CheckpointData): number {
    return this.store.write(() => {
      if (c.isBest) this.db.prepare('UPDATE checkpoints SET is_best = 0 WHERE run_id = ?').run(runId)
      const info = this.db
        .prepare(`INSERT INTO checkpoints (run_id, epoch, created_at, metric_name, metric_value, is_best, topology, weights, optimizer, state)
                  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(runId, c.epoch, now(), c.metric, c.metricValue, c.isBest ? 1 : 0, c.model.topology, c.model.weights, c.optimizer.data,
          JSON.stringify({ loop: c.state, optimizerSpecs: c.optimizer.specs }))
      const id = Number(info.lastInsertRowid)
      this.db.prepare('DELETE FROM checkpoints WHERE run_id = ? AND id <> ? AND is_best = 0').run(runId, id)
      this.recordEpochs(runId, c.state)
      return id
    })
  }

  /** The run's newest checkpoint (to resume from), or null. */
  latestCheckpoint(runId: number): StoredCheckpoint | null {
    return this.checkpoint('SELECT * FROM checkpoints WHERE run_id = ? ORDER BY epoch DESC, id DESC LIMIT 1', runId)
  }

  /** The run's best checkpoint (the model it offers for prediction), or null. */
  bestCheckpoint(runId: number): StoredCheckpoint | null {
    return this.checkpoint('SELECT * FROM checkpoints WHERE run_id = ? ORDER BY is_best DESC, epoch DESC LIMIT 1', runId)
  }

  /** Every run, newest first. */
  list(): RunSummary[] {
    const rows = this.db.prepare(`SELECT * FROM runs WHERE kind = 'train' ORDER BY id DESC`).all() as RunRow[]
    const active = this.activeRunId()
    return rows.map((r) => this.toSummary(r, active))
  }

  get(id: number): RunSummary {
    return this.toSummary(this.row(id), this.activeRunId())
  }

  /**
   * The run whose model predicts: the one chosen with {@link setActive} while it still has a
   * checkpoint, else the newest run with one; null when no run has a checkpoint.
   */
  activeRunId(): number | null {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(ACTIVE_KEY) as { value: string } | undefined
    const chosen = row ? Number(row.value) : null
    if (chosen !== null && this.db.prepare('SELECT 1 FROM checkpoints WHERE run_id = ? LIMIT 1').get(chosen)) return chosen
    const newest = this.db.prepare(`SELECT r.id FROM runs r WHERE EXISTS (SELECT 1 FROM checkpoints c WHERE c.run_id = r.id) AND r.status = 'done' AND r.kind = 'train' ORDER BY r.id DESC LIMIT 1`).get() as { id: number } | undefined
    return newest?.id ?? null
  }

  /** Makes a run with a checkpoint the active model. */
  setActive(id: number): void {
    this.store.write(() => {
      this.row(id)
      if (!this.db.prepare('SELECT 1 FROM checkpoints WHERE run_id = ? LIMIT 1').get(id)) {
        throw new AppError('INVALID_INPUT', `run ${id} has no checkpoint yet, so it cannot be the active model`)
      }
      this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(ACTIVE_KEY, String(id))
    })
  }

  /** Deletes a run and its checkpoints; returns 1, or NOT_FOUND. */
  delete(id: number): number {
    return this.store.write(() => {
      this.row(id)
      this.db.prepare('DELETE FROM checkpoints WHERE run_id = ?').run(id)
      this.db.prepare('DELETE FROM runs WHERE id = ?').run(id)
      this.db.prepare('DELETE FROM meta WHERE key = ? AND value = ?').run(ACTIVE_KEY, String(id))
      return 1
    })
  }

  private row(id: number): RunRow {
    const row = this.db.prepare(`SELECT * FROM runs WHERE id = ? AND kind = 'train'`).get(id) as RunRow | undefined
    if (!row) throw new AppError('NOT_FOUND', `run ${id} does not exist in ${this.store.path}`)
    return row
  }

  private checkpoint(sql: string, runId: number): StoredCheckpoint | null {
    const r = this.db.prepare(sql).get(runId) as
      | { id: number; run_id: number; epoch: number; is_best: number; topology: string; weights: Buffer; optimizer: Buffer | null; state: string }
      | undefined
    if (!r) return null
    const state = JSON.parse(r.state) as { loop: LoopState; optimizerSpecs?: SerialisedOptimizer['specs'] }
    return {
      id: r.id,
      runId: r.run_id,
      epoch: r.epoch,
      isBest: r.is_best === 1,
      model: { topology: r.topology, weights: r.weights },
      optimizer: r.optimizer && state.optimizerSpecs ? { data: r.optimizer, specs: state.optimizerSpecs } : null,
      state: state.loop,
    }
  }

  private toSummary(r: RunRow, active: number | null): RunSummary {
    const epochs = JSON.parse(r.epochs) as EpochMetrics[]
    const bestRow = this.db.prepare('SELECT epoch FROM checkpoints WHERE run_id = ? AND is_best = 1 ORDER BY epoch DESC LIMIT 1').get(r.id) as { epoch: number } | undefined
    const parsedMetric = StopMetric.safeParse(r.best_metric_name)
    const metric = parsedMetric.success ? parsedMetric.data : null
    const report = r.report ? RunReport.safeParse(JSON.parse(r.report)) : null
    return {
      id: r.id,
      status: fromDbStatus(r.status),
      config: TrainConfig.parse(JSON.parse(r.config)),
      backend: r.backend,
      device: r.device,
      startedAt: r.started_at ?? r.created_at,
      finishedAt: r.finished_at,
      epochs,
      best: metric && r.best_metric !== null && bestRow ? { epoch: bestRow.epoch, metric, value: r.best_metric } : null,
      error: r.error,
      active: active === r.id,
      report: report?.success ? report.data : null,
    }
  }
}
