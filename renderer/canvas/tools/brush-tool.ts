/**
 * Brush: paints the current class with a round brush. One press-drag-release is one undo step;
 * Shift+press draws a straight line from where the previous stroke ended.
 */
import { UNLABELED } from '../../../core/contract'
import type { Point } from '../brush'
import { BaseTool, type ToolContext, type ToolMode, type ToolPointer, type ToolPreview } from './tool'

/** The round brush; {@link EraserTool} reuses it with value 255. */
export class BrushTool extends BaseTool {
  readonly mode: ToolMode = 'brush'
  private last: Point | null = null
  private lastEnd: Point | null = null

  override get busy(): boolean {
    return this.last !== null
  }

  /** The value this tool writes. */
  protected value(ctx: ToolContext): number {
    return ctx.classIndex
  }

  override down(ctx: ToolContext, e: ToolPointer): void {
    if (this.last) this.finish(ctx)
    ctx.doc.beginEdit()
    const from = e.shift && this.lastEnd ? this.lastEnd : e.point
    ctx.doc.stroke(from, e.point, ctx.brushSize, this.value(ctx))
    this.last = e.point
  }

  override move(ctx: ToolContext, e: ToolPointer, pressed: boolean): void {
    if (!pressed || !this.last) return
    ctx.doc.stroke(this.last, e.point, ctx.brushSize, this.value(ctx))
    this.last = e.point
  }

  override up(ctx: ToolContext, e: ToolPointer): void {
    if (!this.last) return
    if (e.point.x !== this.last.x || e.point.y !== this.last.y) ctx.doc.stroke(this.last, e.point, ctx.brushSize, this.value(ctx))
    this.last = e.point
    this.finish(ctx)
  }

  override cancel(ctx: ToolContext): void {
    if (this.last) this.finish(ctx)
  }

  override preview(ctx: ToolContext, hover: Point | null): ToolPreview {
    if (!hover) return { kind: 'none' }
    return { kind: 'brush', center: hover, size: ctx.brushSize, erase: this.value(ctx) === UNLABELED }
  }

  private finish(ctx: ToolContext): void {
    this.lastEnd = this.last
    this.last = null
    ctx.doc.endEdit()
  }
}
