/** Eraser: the round brush writing 255, so erased pixels go back to unlabeled (ignored by training). */
import { UNLABELED } from '../../../core/contract'
import { BrushTool } from './brush-tool'
import type { ToolContext, ToolMode } from './tool'

/** The brush with value 255. */
export class EraserTool extends BrushTool {
  override readonly mode: ToolMode = 'eraser'

  protected override value(_ctx: ToolContext): number {
    return UNLABELED
  }
}
