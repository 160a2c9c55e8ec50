/**
 * The cursor/preview layer: brush outline under the pointer, open polygon or lasso path. Strokes
 * keep one screen pixel of width at any zoom; a dark and a light dashed line stay visible on any image.
 */
import Konva from 'konva'
import { snapBrushCentre } from './brush'
import type { ToolPreview } from './tools/tool'

/** Draws a {@link ToolPreview} on its own Konva layer. */
export class PreviewLayer {
  readonly layer = new Konva.Layer({ listening: false })
  private readonly circles = [this.outline('#000000', []), this.outline('#ffffff', [4, 4])].map((o) => new Konva.Circle(o))
  private readonly lines = [this.outline('#000000', []), this.outline('#ffffff', [4, 4])].map((o) => new Konva.Line({ ...o, points: [] }))

  constructor() {
    for (const s of [...this.circles, ...this.lines]) this.layer.add(s)
    this.apply({ kind: 'none' })
  }

  /** Shows the preview and redraws the layer at once; call from an animation frame. */
  show(p: ToolPreview): void {
    this.apply(p)
    this.layer.draw()
  }

  private apply(p: ToolPreview): void {
    const brush = p.kind === 'brush'
    const path = p.kind === 'path'
    for (const c of this.circles) {
      c.visible(brush)
      if (p.kind === 'brush') {
        const centre = snapBrushCentre(p.center, p.size)
        c.position(centre)
        c.radius(Math.max(0.5, p.size / 2))
      }
    }
    for (const l of this.lines) {
      l.visible(path)
      if (p.kind === 'path') {
        l.points(p.points)
        l.closed(p.closed)
      }
    }
  }

  private outline(stroke: string, dash: number[]): Konva.ShapeConfig {
    return { stroke, strokeWidth: 1, dash, strokeScaleEnabled: false, perfectDrawEnabled: false, listening: false }
  }
}
