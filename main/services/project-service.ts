/**
 * app:*, project:* and classes:* handlers: which project is open, creating and opening project files,
 * the generated sample project and the recent list.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Output, ParsedInput, ProjectInfo } from '../../core/contract'
import { ProjectStore } from '../../core/project'
import { RunRepo } from '../../core/train/loop/run-repo'
import { RoundRepo } from '../../core/train/loop/round-repo'
import type { ServiceContext } from './context'
import { RecentProjects } from './recent'
import { writeSampleProject } from './sample-project'

/** File name of the sample project in the app data folder. */
export const SAMPLE_FILE_NAME = 'sample.labelloop'

export class ProjectService {
  private readonly recent: RecentProjects

  constructor(private readonly ctx: ServiceContext) {
    this.recent = new RecentProjects(ctx.opts.appDataDir)
  }

  info(): Output<'app:info'> {
    const { mode, version, nativeDialogs, appDataDir } = this.ctx.opts
    return { version, mode: mode === 'electron' ? 'electron' : 'browser', nativeDialogs, projectsDir: appDataDir }
  }

  recentProjects(): Promise<Output<'project:recent'>> {
    return this.recent.list()
  }

  async create(input: ParsedInput<'project:create'>): Promise<ProjectInfo> {
    return this.activate(ProjectStore.create(input.path, input.name, input.classes))
  }

  async open(input: ParsedInput<'project:open'>): Promise<ProjectInfo> {
    const current = this.ctx.store
    if (current?.isOpen && current.path === resolve(input.path)) return this.activate(current)
    return this.activate(ProjectStore.open(input.path))
  }

  /**
   * Opens the sample project, generating it when missing or when `fresh`. An existing file is replaced
   * only after it proved to be a LabelLoop project, so a mistyped path never destroys someone's file.
   */
  async openSample(input: ParsedInput<'project:openSample'>): Promise<ProjectInfo> {
    const file = resolve(input.path ?? join(this.ctx.opts.appDataDir, SAMPLE_FILE_NAME))
    if (existsSync(file) && !input.fresh) return this.open({ path: file })
    if (existsSync(file)) {
      if (this.ctx.store?.path === file) await this.ctx.switchProject(null)
      else ProjectStore.open(file).close()
    }
    await writeSampleProject(file)
    return this.activate(ProjectStore.open(file))
  }

  async close(): Promise<null> {
    await this.ctx.switchProject(null)
    return null
  }

  current(): ProjectInfo | null {
    const store = this.ctx.store
    return store?.isOpen ? store.info() : null
  }

  updateClasses(input: ParsedInput<'classes:update'>): ProjectInfo {
    const store = this.ctx.requireStore()
    store.setClasses(input.classes)
    this.ctx.emit('project:changed', { what: 'classes' })
    return store.info()
  }

  private async activate(store: ProjectStore): Promise<ProjectInfo> {
    try {
      await this.ctx.switchProject(store)
      // Runs left "running" by a trainer that is gone (the app was killed mid-run) become failed and resumable;
      // rounds left "running" by a killed process become failed with the reason.
      new RunRepo(store).failInterrupted()
      new RoundRepo(store).failInterrupted()
      const info = store.info()
      await this.recent.add(store.path, info.name)
      return info
    } catch (err) {
      if (this.ctx.store !== store) store.close()
      throw err
    }
  }
}
