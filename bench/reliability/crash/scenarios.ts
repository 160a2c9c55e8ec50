/**
 * The crash scenarios: what runs in the child, and what must hold after a SIGKILL at any point of it.
 * Every check also runs `PRAGMA integrity_check` after reopening the project the way the app does.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ImagePage, RunSummary } from '../../../core/contract'
import { decodeMaskPng } from '../../../core/imaging'
import { startCli, startWorker, type Child } from './child'
import { integrityProblems, lostAcknowledgedSaves, openHost, readOnly, sha256 } from './checks'
import * as T from './templates'

export interface Verdict {
  problems: string[]
  /** Scenario-specific counts for the report (acknowledged saves, images present, …). */
  notes: Record<string, number>
}

export interface Scenario {
  name: string
  /** Where kill windows start: the child's first output (after start-up), or its spawn. */
  anchor: 'output' | 'spawn'
  /** Builds the template (project and inputs) in `dir`, once. */
  template(dir: string, home: string): Promise<void>
  /** Starts the child that will be killed, in `work` (a copy of the template). */
  start(work: string, home: string, seed: number): Child
  /** Checks the project after the kill; `work` is the folder the child ran in. */
  verify(work: string, home: string, child: Child): Promise<Verdict>
}

const WORKER = fileURLToPath(new URL('./mask-burst-worker.ts', import.meta.url))
const file = (work: string): string => join(work, T.PROJECT)

const maskBurst: Scenario = {
  name: 'mask-save burst',
  anchor: 'output',
  template: (dir) => T.burstTemplate(dir),
  start: (work, home, seed) => startWorker(WORKER, [file(work), String(seed), '3000'], work, home),
  async verify(work, _home, child) {
    const problems = integrityProblems(file(work))
    const saves = lostAcknowledgedSaves(file(work), child.stdout())
    return { problems: [...problems, ...saves.problems], notes: { acknowledged: saves.acked } }
  },
}

/** Every image row is whole (bytes, renditions, hash of the source file); re-importing brings the rest. */
const folderImport: Scenario = {
  name: 'folder import',
  anchor: 'output',
  template: (dir) => T.importTemplate(dir),
  start: (work, home) => startCli(['import', T.PROJECT, 'imgs', '--json'], work, home),
  async verify(work) {
    const problems = integrityProblems(file(work))
    const sources = new Map(readdirSync(join(work, 'imgs')).map((n) => [n, sha256(readFileSync(join(work, 'imgs', n)))]))
    const db = readOnly(file(work))
    let present = 0
    try {
      const rows = db.prepare(`SELECT i.name, i.width, i.height, b.original, length(b.thumbnail) AS thumb FROM images i LEFT JOIN image_blobs b ON b.image_id = i.id`).all() as { name: string; width: number; height: number; original: Buffer | null; thumb: number | null }[]
      present = rows.length
      for (const r of rows) {
        if (!r.original || !r.thumb) problems.push(`${r.name}: image row without its bytes`)
        else if (sha256(r.original) !== sources.get(r.name)) problems.push(`${r.name}: stored bytes differ from the file`)
        if (r.width !== 256 || r.height !== 256) problems.push(`${r.name}: size ${r.width}×${r.height}`)
      }
    } finally {
      db.close()
    }
    const host = await openHost(file(work))
    try {
      await host.dispatch('images:import', { jobId: 'again', paths: [join(work, 'imgs')] })
      const page = (await host.dispatch('images:list', { limit: 100 })) as ImagePage
      if (page.total !== sources.size) problems.push(`re-import left ${page.total} of ${sources.size} images`)
    } finally {
      await host.close()
    }
    return { problems, notes: { imagesBeforeReimport: present } }
  },
}

const EPOCHS = 12

/** The killed run is failed with a reason; `train --resume` continues after its last checkpoint. */
const training: Scenario = {
  name: 'training',
  anchor: 'output',
  template: (dir) => T.squaresTemplate(dir),
  start: (work, home) => startCli(['train', T.PROJECT, '--epochs', String(EPOCHS), ...T.TINY, '--json'], work, home),
  async verify(work, home): Promise<Verdict> {
    const problems = integrityProblems(file(work))
    const host = await openHost(file(work))
    let runs: RunSummary[]
    try {
      runs = (await host.dispatch('runs:list', {})) as RunSummary[]
    } finally {
      await host.close()
    }
    const run = runs[0]
    if (!run) return { problems, notes: { runs: 0 } }
    if (run.status === 'completed') return { problems, notes: { completed: 1 } }
    if (run.status !== 'failed' || !run.error) problems.push(`killed run ${run.id} is ${run.status} (error: ${run.error ?? 'none'})`)
    const db = readOnly(file(work))
    const last = (db.prepare('SELECT MAX(epoch) AS e FROM checkpoints WHERE run_id = ?').get(run.id) as { e: number | null }).e
    db.close()
    const resumed = startCli(['train', T.PROJECT, '--resume', String(run.id), '--json'], work, home)
    const end = await resumed.exited
    if (last === null) {
      // Nothing to continue from: the resume must say so (or start over), not crash.
      if (end.code !== 0 && !/checkpoint/i.test(resumed.stdout() + resumed.stderr())) problems.push(`resume without a checkpoint: ${resumed.stderr().trim()}`)
      return { problems, notes: { failed: 1, checkpointEpoch: -1 } }
    }
    if (end.code !== 0) problems.push(`train --resume exited ${end.code}: ${resumed.stderr().trim().split('\n').pop()}`)
    const first = /epoch (\d+)\//.exec(resumed.stderr())
    // Killed after the last epoch's checkpoint: nothing is left to train, the resume only finishes the run.
    const nothingLeft = last >= EPOCHS && first === null
    if (!nothingLeft && (!first || Number(first[1]) !== last + 1)) problems.push(`resume after checkpoint of epoch ${last} began at epoch ${first?.[1] ?? 'none'}`)
    return { problems, notes: { failed: 1, checkpointEpoch: last } }
  },
}

/**
 * A round is either done with a pseudo-label for every unlabeled image, or not done and out of review; a
 * round the kill interrupted is failed with a reason once the project has been opened again (not left running).
 */
const pseudoRound: Scenario = {
  name: 'pseudo-label round',
  anchor: 'output',
  template: (dir, home) => T.trainedTemplate(dir, home),
  start: (work, home) => startCli(['predict', T.PROJECT, '--round', '--json'], work, home),
  async verify(work) {
    const problems = integrityProblems(file(work))
    const host = await openHost(file(work))
    await host.close()
    const db = readOnly(file(work))
    try {
      const unlabeled = (db.prepare('SELECT COUNT(*) AS n FROM images WHERE id NOT IN (SELECT image_id FROM masks)').get() as { n: number }).n
      const rounds = db.prepare('SELECT r.id, r.status, r.error, COUNT(p.id) AS n FROM rounds r LEFT JOIN pseudo_labels p ON p.round_id = r.id GROUP BY r.id').all() as { id: number; status: string; error: string | null; n: number }[]
      for (const r of rounds) {
        if (r.status === 'done' && r.n !== unlabeled) problems.push(`round ${r.id} is done with ${r.n} of ${unlabeled} pseudo-labels`)
        if (r.status === 'running') problems.push(`round ${r.id} is still running after the project was reopened`)
        if (r.status === 'failed' && !r.error) problems.push(`round ${r.id} is failed without a reason`)
        const decided = (db.prepare(`SELECT COUNT(*) AS n FROM pseudo_labels WHERE round_id = ? AND status != 'pending'`).get(r.id) as { n: number }).n
        if (r.status !== 'done' && decided > 0) problems.push(`unfinished round ${r.id} has ${decided} decided pseudo-labels`)
      }
      return { problems, notes: { done: rounds.filter((r) => r.status === 'done').length, unfinished: rounds.filter((r) => r.status !== 'done').length, failedWithReason: rounds.filter((r) => r.status === 'failed' && r.error).length } }
    } finally {
      db.close()
    }
  },
}

/** Accept-all is one transaction: every pending pseudo-label accepted with its mask current, or none. */
const acceptAll: Scenario = {
  name: 'accept-all review',
  anchor: 'spawn',
  template: (dir, home) => T.roundTemplate(dir, home),
  start: (work, home) => startCli(['review', T.PROJECT, '--accept-above', '0', '--json'], work, home),
  async verify(work) {
    const problems = integrityProblems(file(work))
    const db = readOnly(file(work))
    try {
      const rows = db.prepare('SELECT p.status, p.accepted_revision_id AS acc, m.revision_id AS cur FROM pseudo_labels p LEFT JOIN masks m ON m.image_id = p.image_id').all() as { status: string; acc: number | null; cur: number | null }[]
      const accepted = rows.filter((r) => r.status === 'accepted')
      if (accepted.length !== 0 && accepted.length !== rows.length) problems.push(`${accepted.length} of ${rows.length} pseudo-labels accepted: half a review`)
      for (const r of accepted) if (r.acc === null || r.cur !== r.acc) problems.push(`accepted pseudo-label without its mask revision current`)
      return { problems, notes: { applied: accepted.length > 0 ? 1 : 0 } }
    } finally {
      db.close()
    }
  },
}

/** The project is untouched, and every file the export left under its final name is whole. */
const exportMasks: Scenario = {
  name: 'export',
  anchor: 'spawn',
  template: (dir) => T.exportTemplate(dir),
  start: (work, home) => startCli(['export', T.PROJECT, 'out', '--format', 'index', '--json'], work, home),
  async verify(work) {
    const problems = integrityProblems(file(work))
    const out = join(work, 'out')
    const names = existsSync(out) ? readdirSync(out) : []
    for (const n of names.filter((x) => !x.endsWith('.partial'))) {
      const bytes = readFileSync(join(out, n))
      try {
        if (n.endsWith('.png')) decodeMaskPng(bytes, n)
        else if (n.endsWith('.json')) JSON.parse(bytes.toString('utf8'))
      } catch (err) {
        problems.push(`export left a damaged ${n}: ${(err as Error).message}`)
      }
    }
    const db = readOnly(file(work))
    const revisions = (db.prepare('SELECT COUNT(*) AS n FROM mask_revisions').get() as { n: number }).n
    db.close()
    if (revisions !== 40) problems.push(`the export changed the project: ${revisions} mask revisions`)
    return { problems, notes: { files: names.filter((x) => !x.endsWith('.partial')).length } }
  },
}

/** Opening an old project migrates it in one transaction: the file is at version 1 or the latest, data whole. */
const migration: Scenario = {
  name: 'migration on open',
  anchor: 'spawn',
  template: async (dir) => void T.schemaV1Template(dir),
  start: (work, home) => startCli(['info', T.PROJECT, '--json'], work, home),
  async verify(work) {
    const db = readOnly(file(work))
    const version = db.pragma('user_version', { simple: true }) as number
    db.close()
    const problems = integrityProblems(file(work))
    const check = readOnly(file(work))
    try {
      const n = (check.prepare('SELECT COUNT(*) AS n FROM mask_revisions').get() as { n: number }).n
      if (n !== 300) problems.push(`${n} of 300 mask revisions after the migration`)
      return { problems, notes: { migratedBeforeKill: version > 1 ? 1 : 0 } }
    } finally {
      check.close()
    }
  },
}

export const SCENARIOS: readonly Scenario[] = [maskBurst, folderImport, training, pseudoRound, acceptAll, exportMasks, migration]
