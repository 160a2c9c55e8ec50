/** Picker: a click reports the class under the cursor, so the view can select it. */
import { BaseTool, type ToolContext, type ToolMode, type ToolPointer } from './tool'

/** Reports the mask value under a click through `ctx.pick`. */
export class PickerTool extends BaseTool {
  readonly mode: ToolMode = 'picker'

  override down(ctx: ToolContext, e: ToolPointer): void {
    ctx.pick(ctx.doc.valueAt(e.point))
  }
}
