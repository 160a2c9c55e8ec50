/**
 * "Fill all unlabeled with the current class": an action rather than a mode (it needs no pointer),
 * exposed to the view as `MaskEditor.fillUnlabeled()` and the U key. One undo step.
 */
import type { Rect } from '../rect'
import type { ToolContext } from './tool'

/** Sets every unlabeled pixel to the current class; returns the changed box, or null when none was unlabeled. */
export function fillAllUnlabeled(ctx: ToolContext): Rect | null {
  return ctx.doc.fillUnlabeled(ctx.classIndex)
}
