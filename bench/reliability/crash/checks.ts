/** Checks the crash harness runs on a project after a SIGKILL: integrity, and what each scenario promises. */
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { decodeMaskPng } from '../../../core/imaging'
import { ProjectStore } from '../../../core/project'
import { createServiceHost, type ServiceHost } from '../../../main/services/index'

/** Opens the project the way the app does (checks, migrations) and runs `PRAGMA integrity_check`. */
export function integrityProblems(file: string): string[] {
  let store: ProjectStore
  try {
    store = ProjectStore.open(file)
  } catch (err) {
    return [`reopening failed: ${(err as Error).message}`]
  }
  try {
    const rows = store.db.pragma('integrity_check') as { integrity_check: string }[]
    return rows.map((r) => r.integrity_check).filter((r) => r !== 'ok').map((r) => `integrity_check: ${r}`)
  } finally {
    store.close()
  }
}

/** A read-only connection for the scenario checks (closed by the caller). */
export function readOnly(file: string): Database.Database {
  return new Database(file, { readonly: true, fileMustExist: true })
}

/** sha-256 of the class indices of a stored mask PNG. */
export function maskSha(png: Buffer): string {
  return createHash('sha256').update(decodeMaskPng(png, 'stored mask').data).digest('hex')
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** Real services in this process with the project open, for checks that go through the contract; close removes its app data. */
export async function openHost(file: string): Promise<ServiceHost> {
  const appDataDir = mkdtempSync(join(tmpdir(), 'labelloop-check-'))
  const host = createServiceHost({ mode: 'cli', appDataDir, version: '0.0.0-crash', nativeDialogs: false })
  await host.dispatch('project:open', { path: file })
  return {
    ...host,
    async close() {
      await host.close()
      rmSync(appDataDir, { recursive: true, force: true })
    },
  }
}

/** Acknowledged mask saves (worker lines) that are missing or differ in the project. */
export function lostAcknowledgedSaves(file: string, stdout: string): { acked: number; problems: string[] } {
  const acks = stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => {
      try {
        return JSON.parse(l) as { imageId: number; revisionId: number; sha: string }
      } catch {
        return null
      }
    })
    .filter((a): a is { imageId: number; revisionId: number; sha: string } => a !== null)
  const db = readOnly(file)
  const problems: string[] = []
  try {
    const get = db.prepare('SELECT image_id AS imageId, png FROM mask_revisions WHERE id = ?')
    const current = db.prepare('SELECT revision_id AS id FROM masks WHERE image_id = ?')
    const newest = new Map<number, number>()
    for (const a of acks) {
      const row = get.get(a.revisionId) as { imageId: number; png: Buffer } | undefined
      if (!row) problems.push(`acknowledged revision ${a.revisionId} is missing`)
      else if (row.imageId !== a.imageId || maskSha(row.png) !== a.sha) problems.push(`acknowledged revision ${a.revisionId} differs from what was saved`)
      newest.set(a.imageId, Math.max(newest.get(a.imageId) ?? 0, a.revisionId))
    }
    for (const [imageId, rev] of newest) {
      const cur = current.get(imageId) as { id: number } | undefined
      if (!cur || cur.id < rev) problems.push(`image ${imageId}: current mask is older than acknowledged revision ${rev}`)
    }
  } finally {
    db.close()
  }
  return { acked: acks.length, problems }
}
