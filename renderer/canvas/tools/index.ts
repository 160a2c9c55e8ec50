/** The tool set of one editor: one instance per mode. */
import { BrushTool } from './brush-tool'
import { EraserTool } from './eraser-tool'
import { FillTool } from './fill-tool'
import { LassoTool } from './lasso-tool'
import { PickerTool } from './picker-tool'
import { PolygonTool } from './polygon-tool'
import type { Tool, ToolMode } from './tool'

export { fillAllUnlabeled } from './fill-unlabeled-tool'
export * from './tool'

/** Fresh tools for every mode that has one ('pan' is handled by the view). */
export function createTools(): Record<ToolMode, Tool> {
  return {
    brush: new BrushTool(),
    eraser: new EraserTool(),
    polygon: new PolygonTool(),
    lasso: new LassoTool(),
    fill: new FillTool(),
    picker: new PickerTool(),
  }
}
