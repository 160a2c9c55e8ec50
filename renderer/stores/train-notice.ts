/** Plain-language notes for the Train view about what the services did on their own. */
import type { EventPayload, RunSummary } from '../../core/contract'

/**
 * What to tell the user when a run ended and the services made it the active model because the project
 * had none (a cancelled run with a usable checkpoint); null for any other status event.
 */
export function adoptedNotice(s: EventPayload<'train:status'>, activeBefore: RunSummary | null): string | null {
  if (s.status !== 'cancelled' || !s.run?.active || activeBefore !== null) return null
  const best = s.run.best ? ` (epoch ${s.run.best.epoch}, ${s.run.best.metric} ${s.run.best.value.toFixed(3)})` : ''
  return `Run #${s.run.id} was cancelled; the project had no model, so its best checkpoint${best} is now the active model. Review can run a round with it.`
}
