/** The contract methods of pseudo-label rounds and the review queue, for the services' handler table. */
import type { Method, Output, ParsedInput } from '../../../core/contract'
import type { ServiceContext } from '../context'
import { ReviewService } from './review-service'

type ReviewMethod =
  | 'rounds:start' | 'rounds:list' | 'rounds:rollback'
  | 'review:list' | 'review:get' | 'review:decide' | 'review:edited' | 'review:acceptAbove'

type ReviewHandlers = { [M in ReviewMethod & Method]: (input: ParsedInput<M>) => Output<M> | Promise<Output<M>> }

/** Handlers of the review methods over one ReviewService. */
export function reviewHandlers(ctx: ServiceContext): ReviewHandlers {
  const s = new ReviewService(ctx)
  return {
    'rounds:start': (i) => s.startRound(i),
    'rounds:list': () => s.listRounds(),
    'rounds:rollback': (i) => s.rollback(i),
    'review:list': (i) => s.list(i),
    'review:get': (i) => s.get(i),
    'review:decide': (i) => s.decide(i),
    'review:edited': (i) => s.edited(i),
    'review:acceptAbove': (i) => s.acceptAbove(i),
  }
}
