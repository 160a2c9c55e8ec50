/**
 * Polygon fill: click to add vertices; click the first vertex, double-click or press Enter to close
 * and fill with the current class; Backspace removes the last vertex, Escape drops the polygon.
 */
import type { Point } from '../brush'
import { BaseTool, type ToolContext, type ToolMode, type ToolPointer, type ToolPreview } from './tool'

/** Screen pixels within which a click on the first vertex closes the polygon. */
const CLOSE_DISTANCE = 8

/** Click-by-click polygon, filled when closed. */
export class PolygonTool extends BaseTool {
  readonly mode: ToolMode = 'polygon'
  private points: number[] = []

  override get busy(): boolean {
    return this.points.length > 0
  }

  /** The vertices so far, flat [x0, y0, x1, y1, ...]. */
  get vertices(): readonly number[] {
    return this.points
  }

  override down(ctx: ToolContext, e: ToolPointer): void {
    const tol = CLOSE_DISTANCE * ctx.imagePixelsPerScreenPixel
    if (this.points.length >= 6 && distance(e.point, this.points[0], this.points[1]) <= tol) {
      this.commit(ctx)
      return
    }
    const n = this.points.length
    if (n >= 2 && distance(e.point, this.points[n - 2], this.points[n - 1]) === 0) return
    this.points.push(e.point.x, e.point.y)
  }

  override doubleClick(ctx: ToolContext): void {
    this.commit(ctx)
  }

  override commit(ctx: ToolContext): void {
    const pts = this.points
    this.points = []
    if (pts.length >= 6) ctx.doc.fillPolygon(pts, ctx.classIndex, ctx.fillRule)
  }

  override back(_ctx: ToolContext): boolean {
    if (this.points.length === 0) return false
    this.points.length -= 2
    return true
  }

  override cancel(_ctx: ToolContext): void {
    this.points = []
  }

  override preview(_ctx: ToolContext, hover: Point | null): ToolPreview {
    if (this.points.length === 0) return { kind: 'none' }
    return { kind: 'path', points: hover ? [...this.points, hover.x, hover.y] : [...this.points], closed: false }
  }
}

function distance(p: Point, x: number, y: number): number {
  return Math.hypot(p.x - x, p.y - y)
}
