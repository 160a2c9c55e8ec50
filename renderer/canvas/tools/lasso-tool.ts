/**
 * Lasso fill: press, draw a freehand outline, release to fill it with the current class (the outline
 * closes back to its start). Escape while drawing drops it.
 */
import type { Point } from '../brush'
import { BaseTool, type ToolContext, type ToolMode, type ToolPointer, type ToolPreview } from './tool'

/** Freehand outline filled on release. */
export class LassoTool extends BaseTool {
  readonly mode: ToolMode = 'lasso'
  private points: number[] = []

  override get busy(): boolean {
    return this.points.length > 0
  }

  override down(_ctx: ToolContext, e: ToolPointer): void {
    this.points = [e.point.x, e.point.y]
  }

  override move(ctx: ToolContext, e: ToolPointer, pressed: boolean): void {
    if (!pressed || this.points.length === 0) return
    const n = this.points.length
    // Skip samples closer than one screen pixel to the previous one: they add vertices, not shape.
    if (Math.hypot(e.point.x - this.points[n - 2], e.point.y - this.points[n - 1]) < ctx.imagePixelsPerScreenPixel) return
    this.points.push(e.point.x, e.point.y)
  }

  override up(ctx: ToolContext, e: ToolPointer): void {
    if (this.points.length === 0) return
    this.points.push(e.point.x, e.point.y)
    this.commit(ctx)
  }

  override commit(ctx: ToolContext): void {
    const pts = this.points
    this.points = []
    if (pts.length >= 6) ctx.doc.fillPolygon(pts, ctx.classIndex, ctx.fillRule)
  }

  override cancel(_ctx: ToolContext): void {
    this.points = []
  }

  override preview(_ctx: ToolContext, _hover: Point | null): ToolPreview {
    return this.points.length === 0 ? { kind: 'none' } : { kind: 'path', points: [...this.points], closed: true }
  }
}
