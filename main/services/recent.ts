/**
 * The recent-projects list in appDataDir/recent.json: most recent first, at most 20, files that no
 * longer exist dropped when read. A damaged list is treated as empty rather than blocking the app.
 */
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { RecentProject } from '../../core/contract'

const MAX_RECENT = 20

export class RecentProjects {
  private readonly file: string

  constructor(private readonly appDataDir: string) {
    this.file = join(appDataDir, 'recent.json')
  }

  /** Recent projects whose files still exist, most recent first. */
  async list(): Promise<RecentProject[]> {
    let raw: string
    try {
      raw = await readFile(this.file, 'utf8')
    } catch {
      return []
    }
    let json: unknown
    try {
      json = JSON.parse(raw)
    } catch {
      return []
    }
    const parsed = z.array(RecentProject).safeParse(json)
    if (!parsed.success) return []
    return parsed.data.filter((p) => existsSync(p.path)).slice(0, MAX_RECENT)
  }

  /** Puts a project at the top of the list (once), written atomically. */
  async add(path: string, name: string, at: Date = new Date()): Promise<void> {
    const rest = (await this.list()).filter((p) => p.path !== path)
    const next = [{ path, name, openedAt: at.toISOString() }, ...rest].slice(0, MAX_RECENT)
    await mkdir(this.appDataDir, { recursive: true })
    const tmp = `${this.file}.${process.pid}.tmp`
    await writeFile(tmp, JSON.stringify(next, null, 2))
    await rename(tmp, this.file)
  }
}
