/** Flood fill: a click fills the 4-connected region of equal mask value under the cursor with the current class. */
import { BaseTool, type ToolContext, type ToolMode, type ToolPointer } from './tool'

/** Flood fill of the clicked region. */
export class FillTool extends BaseTool {
  readonly mode: ToolMode = 'fill'

  override down(ctx: ToolContext, e: ToolPointer): void {
    ctx.doc.floodFill(e.point, ctx.classIndex)
  }
}
