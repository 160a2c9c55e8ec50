/**
 * `suggest:run` / `suggest:cancel`: the "Label next" ranking (core/suggest) over the open project. It only
 * reads stored predictions, masks and thumbnails (no model runs), so it runs here in the service process,
 * yielding between images; progress goes out as `suggest:progress` events with the job's id, and a
 * cancel stops it at the next image (it resolves with what it ranked so far, `cancelled: true`), the way
 * imports and prediction jobs are cancelled by job id.
 */
import { AppError, type Method, type Output, type ParsedInput } from '../../../core/contract'
import { suggestJob } from '../../../core/suggest'
import type { ServiceContext } from '../context'

type SuggestMethod = 'suggest:run' | 'suggest:cancel'
type SuggestHandlers = { [M in SuggestMethod & Method]: (input: ParsedInput<M>) => Output<M> | Promise<Output<M>> }

/** Handlers of the suggest methods; running jobs are keyed by their job id. */
export function suggestHandlers(ctx: ServiceContext): SuggestHandlers {
  const jobs = new Map<string, AbortController>()
  return {
    'suggest:run': async (i) => {
      const store = ctx.requireStore()
      if (jobs.has(i.jobId)) throw new AppError('BUSY', `A suggest job with id ${i.jobId} is already running`)
      const abort = new AbortController()
      jobs.set(i.jobId, abort)
      try {
        return await suggestJob(store, {
          limit: i.limit,
          requireModel: i.requireModel,
          signal: abort.signal,
          onProgress: (done, total, image) => ctx.emit('suggest:progress', { jobId: i.jobId, done, total, image }),
        })
      } finally {
        jobs.delete(i.jobId)
      }
    },
    'suggest:cancel': (i) => {
      jobs.get(i.jobId)?.abort()
      return null
    },
  }
}
