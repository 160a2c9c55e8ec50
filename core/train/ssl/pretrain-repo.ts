/**
 * Pretraining runs in the project file: rows of `runs` with kind 'pretrain' (migration 5), their
 * PretrainConfig as config and their per-epoch NT-Xent as epochs; a completed one has one row in
 * `checkpoints` holding the encoder (topology + weights as training checkpoints store models) and,
 * in `state`, everything else of the {@link PretrainedEncoder}. Training's RunRepo leaves these rows out.
 */
import { hostname } from 'node:os'
import { AppError, PretrainConfig, RunStatus, type PretrainSummary } from '../../contract'
import type { ProjectStore } from '../../project'
import type { PretrainedEncoder } from './pretrained'

interface Row {
  id: number
  created_at: string
  started_at: string | null
  finished_at: string | null
  status: string
  config: string
  backend: string | null
  device: string | null
  epochs: string
  error: string | null
}

/** What the `epochs` column holds for a pretraining run. */
interface Progress {
  losses: number[]
  images: number
  seconds: number
}

const now = (): string => new Date().toISOString()
const toDb = (s: RunStatus): string => (s === 'completed' ? 'done' : s)
const fromDb = (s: string): RunStatus => (s === 'done' ? 'completed' : RunStatus.parse(s))

export class PretrainRepo {
  constructor(private readonly store: ProjectStore) {}

  private get db(): ProjectStore['db'] {
    return this.store.db
  }

  /** Adds a queued pretraining run; returns its id. */
  create(config: PretrainConfig): number {
    return this.store.write(() => {
      const progress: Progress = { losses: [], images: 0, seconds: 0 }
      const info = this.db
        .prepare(`INSERT INTO runs (created_at, status, config, kind, epochs) VALUES (?, 'queued', ?, 'pretrain', ?)`)
        .run(now(), JSON.stringify(config), JSON.stringify(progress))
      return Number(info.lastInsertRowid)
    })
  }

  config(id: number): PretrainConfig {
    return PretrainConfig.parse(JSON.parse(this.row(id).config))
  }

  markRunning(id: number, backend: string, device: string): void {
    this.store.write(() => {
      this.row(id)
      // The trainer's pid and host let RunRepo.failInterrupted tell a pretraining left running by a killed app.
      this.db.prepare(`UPDATE runs SET status = 'running', started_at = ?, backend = ?, device = ?, error = NULL, trainer_pid = ?, trainer_host = ? WHERE id = ?`).run(now(), backend, device, process.pid, hostname(), id)
    })
  }

  /** Records the losses of the epochs so far, the image count and the seconds spent. */
  recordProgress(id: number, progress: Progress): void {
    this.store.write(() => {
      this.db.prepare('UPDATE runs SET epochs = ? WHERE id = ?').run(JSON.stringify(progress), id)
    })
  }

  setStatus(id: number, status: RunStatus, error: string | null = null): void {
    const terminal = status === 'completed' || status === 'failed' || status === 'cancelled'
    this.store.write(() => {
      this.row(id)
      this.db.prepare('UPDATE runs SET status = ?, error = ?, finished_at = ? WHERE id = ?').run(toDb(status), error, terminal ? now() : null, id)
    })
  }

  /** Stores the run's encoder (replacing an earlier one of the same run). */
  saveEncoder(id: number, encoder: PretrainedEncoder): void {
    const { model, ...rest } = encoder
    this.store.write(() => {
      this.row(id)
      this.db.prepare('DELETE FROM checkpoints WHERE run_id = ?').run(id)
      this.db
        .prepare(`INSERT INTO checkpoints (run_id, epoch, created_at, metric_name, metric_value, is_best, topology, weights, state)
                  VALUES (?, ?, ?, 'ntXent', ?, 1, ?, ?, ?)`)
        .run(id, encoder.epochs, now(), encoder.losses[encoder.losses.length - 1] ?? null, model.topology, model.weights, JSON.stringify(rest))
    })
  }

  /** The encoder of run `id`, or of the newest completed pretraining run; null when there is none. */
  encoder(id?: number): PretrainedEncoder | null {
    const r = this.db
      .prepare(
        `SELECT c.topology, c.weights, c.state FROM checkpoints c JOIN runs r ON r.id = c.run_id
         WHERE r.kind = 'pretrain' AND r.status = 'done' ${id === undefined ? '' : 'AND r.id = ?'} ORDER BY r.id DESC LIMIT 1`,
      )
      .get(...(id === undefined ? [] : [id])) as { topology: string; weights: Buffer; state: string } | undefined
    if (!r) return null
    const rest = JSON.parse(r.state) as Omit<PretrainedEncoder, 'model'>
    return { ...rest, model: { topology: r.topology, weights: r.weights } }
  }

  get(id: number): PretrainSummary {
    return this.summary(this.row(id))
  }

  /** The newest pretraining run, or null. */
  latest(): PretrainSummary | null {
    const row = this.db.prepare(`SELECT * FROM runs WHERE kind = 'pretrain' ORDER BY id DESC LIMIT 1`).get() as Row | undefined
    return row ? this.summary(row) : null
  }

  private row(id: number): Row {
    const row = this.db.prepare(`SELECT * FROM runs WHERE id = ? AND kind = 'pretrain'`).get(id) as Row | undefined
    if (!row) throw new AppError('NOT_FOUND', `pretraining run ${id} does not exist in ${this.store.path}`)
    return row
  }

  private summary(r: Row): PretrainSummary {
    const progress = JSON.parse(r.epochs) as Progress
    const stored = this.db.prepare('SELECT 1 FROM checkpoints WHERE run_id = ? LIMIT 1').get(r.id) !== undefined
    return {
      id: r.id,
      status: fromDb(r.status),
      config: PretrainConfig.parse(JSON.parse(r.config)),
      backend: r.backend,
      device: r.device,
      startedAt: r.started_at ?? r.created_at,
      finishedAt: r.finished_at,
      losses: progress.losses ?? [],
      images: progress.images ?? 0,
      seconds: progress.seconds ?? 0,
      hasEncoder: stored,
      error: r.error,
    }
  }
}
