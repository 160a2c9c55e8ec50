/**
 * The services behind the contract. `createServiceHost` is the one entry point the transports use
 * (Electron IPC, the browser-mode web host, the CLI): every call goes through `dispatch`, which
 * validates the payload with the contract's zod schema before any handler runs.
 */
import { z } from 'zod'
import {
  api,
  AppError,
  fromErrorDto,
  isMethod,
  toErrorDto,
  type Method,
  type Output,
  type ParsedInput,
} from '../../core/contract'
import { ProjectStore } from '../../core/project'
import { BalanceService } from './balance/balance-service'
import { ServiceContext } from './context'
import { DataService } from './data-service'
import { devicesFor } from './device-service'
import type { ServiceHost, ServiceHostOptions } from './host-types'
import { browseFiles } from './file-browser'
import { cancelImport, runImport } from './import-service'
import { ProjectService } from './project-service'
import { trainingFor, trainingHandlers } from './training/handlers'
import { runExport } from './export/export-service'
import { runLabelImport } from './export/label-import'
import { DisplayService } from './display/display-service'
import { reviewHandlers } from './review/handlers'
import { suggestHandlers } from './suggest/handlers'

export type { ServiceHost, ServiceHostOptions, EventListener } from './host-types'

type Handlers = { [M in Method]: (input: ParsedInput<M>) => Output<M> | Promise<Output<M>> }

function handlersFor(ctx: ServiceContext, data: DataService): Handlers {
  const projects = new ProjectService(ctx)
  const balance = new BalanceService(ctx)
  const display = new DisplayService(ctx)
  return {
    'app:info': () => projects.info(),
    'app:devices': (i) => devicesFor(i),
    'project:recent': () => projects.recentProjects(),
    'project:create': (i) => projects.create(i),
    'project:open': (i) => projects.open(i),
    'files:browse': (i) => browseFiles(ctx.opts, i),
    'project:openSample': (i) => projects.openSample(i),
    'project:close': () => projects.close(),
    'project:current': () => projects.current(),
    'classes:update': (i) => projects.updateClasses(i),
    'images:import': (i) => runImport(ctx, i),
    'images:cancelImport': (i) => cancelImport(ctx, i.jobId),
    'images:list': (i) => data.list(i),
    'images:get': (i) => data.get(i),
    'images:neighbors': (i) => data.neighbors(i),
    'images:delete': (i) => data.delete(i),
    'masks:get': (i) => data.maskGet(i),
    'masks:save': (i) => data.maskSave(i),
    'masks:revisions': (i) => data.maskRevisions(i),
    'masks:restore': (i) => data.maskRestore(i),
    'balance:get': (i) => balance.get(i),
    'balance:images': (i) => balance.images(i),
    'export:run': (i) => runExport(ctx, i),
    'labels:import': (i) => runLabelImport(ctx, i),
    'display:getBands': () => display.getBands(),
    'display:setBands': (i) => display.setBands(i),
    'images:tile': (i) => display.tile(i),
    ...trainingHandlers(ctx),
    ...reviewHandlers(ctx),
    ...suggestHandlers(ctx),
  }
}

/** Any failure as an AppError with a contract code (SQLite/file-system errors mapped, the rest INTERNAL). */
function asAppError(err: unknown, ctx: ServiceContext): AppError {
  if (err instanceof AppError) return err
  const mapped = ctx.store ? ProjectStore.mapError(err, ctx.store.path) : err
  return mapped instanceof AppError ? mapped : fromErrorDto(toErrorDto(mapped))
}

/**
 * Creates the services for one app instance. State (the open project, a running import) lives in the
 * returned host; `close()` stops background work and closes the project.
 */
export function createServiceHost(opts: ServiceHostOptions): ServiceHost {
  const ctx = new ServiceContext(opts)
  const data = new DataService(ctx)
  const handlers = handlersFor(ctx, data)

  return {
    async dispatch(method: string, rawInput: unknown): Promise<unknown> {
      if (!isMethod(method)) throw new AppError('INVALID_INPUT', `Unknown method "${method}"`)
      const parsed = api[method].input.safeParse(rawInput ?? {})
      if (!parsed.success) {
        throw new AppError('INVALID_INPUT', `Invalid input for ${method}: ${z.prettifyError(parsed.error)}`)
      }
      const handler = handlers[method] as (input: unknown) => unknown
      try {
        return await handler(parsed.data)
      } catch (err) {
        throw asAppError(err, ctx)
      }
    },
    onEvent(listener) {
      return ctx.subscribe(listener)
    },
    async imageRendition(imageId, rendition) {
      try {
        return data.rendition(imageId, rendition)
      } catch (err) {
        throw asAppError(err, ctx)
      }
    },
    async close() {
      await trainingFor(ctx).close()
      await ctx.switchProject(null)
    },
  }
}
