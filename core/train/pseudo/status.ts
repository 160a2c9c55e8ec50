/**
 * The review states of a pseudo-label and what each event does to the image's label. Pure, so the
 * service applies the effect and the tests pin the rules:
 * - accept: pending or rejected → accepted; the pseudo mask becomes the label ('apply').
 * - reject: pending → rejected; accepted → rejected and the label it made leaves ('revert').
 * - edit (the user saved an edit of it in the editor): any state → edited; the saved mask is a human
 *   label already, so nothing else happens.
 * - rollback of its round: accepted → pending with 'revert'; rejected → pending; pending stays;
 *   edited stays edited (the human label the user saved is not the round's to take back).
 * A decision on an edited pseudo-label is refused: the user's own label supersedes it.
 */
import { AppError } from '../../contract'

export type PseudoStatus = 'pending' | 'accepted' | 'rejected' | 'edited'
export type ReviewEvent = 'accept' | 'reject' | 'edit' | 'rollback'
/** What the service does to the image's current label. */
export type LabelEffect = 'none' | 'apply' | 'revert'

export interface Transition {
  next: PseudoStatus
  effect: LabelEffect
}

/** The state after `event` in `status` and its label effect; INVALID_INPUT for a refused decision. */
export function transition(status: PseudoStatus, event: ReviewEvent): Transition {
  switch (event) {
    case 'accept':
      if (status === 'edited') throw new AppError('INVALID_INPUT', 'this pseudo-label was edited into a human label; it cannot be accepted')
      return status === 'accepted' ? { next: 'accepted', effect: 'none' } : { next: 'accepted', effect: 'apply' }
    case 'reject':
      if (status === 'edited') throw new AppError('INVALID_INPUT', 'this pseudo-label was edited into a human label; it cannot be rejected')
      return { next: 'rejected', effect: status === 'accepted' ? 'revert' : 'none' }
    case 'edit':
      return { next: 'edited', effect: 'none' }
    case 'rollback':
      if (status === 'edited') return { next: 'edited', effect: 'none' }
      return { next: 'pending', effect: status === 'accepted' ? 'revert' : 'none' }
  }
}
