/**
 * The Konva side of the editor: a stage with an image layer, a mask layer drawn from an offscreen
 * canvas, and the cursor/preview layer. The mask canvas is updated only inside dirty rectangles.
 */
import Konva from 'konva'
import { renderRegion, type ColorTable, type MaskBuffer } from './mask-buffer'
import { PreviewLayer } from './preview-layer'
import { clipRect, expandRect } from './rect'
import type { ToolPreview } from './tools/tool'
import type { View } from './viewport'

/** An image the editor can show. */
export type EditorImage = HTMLImageElement | ImageBitmap | HTMLCanvasElement

/** Width and height of an image in pixels (natural size for an <img>). */
export function imageSize(image: EditorImage): { width: number; height: number } {
  return image instanceof HTMLImageElement ? { width: image.naturalWidth, height: image.naturalHeight } : { width: image.width, height: image.height }
}

/** Owns the Konva stage and draws into it. */
export class EditorStage {
  readonly stage: Konva.Stage
  private readonly imageLayer = new Konva.Layer({ listening: false })
  private readonly maskLayer = new Konva.Layer({ listening: false, imageSmoothingEnabled: false })
  private readonly preview = new PreviewLayer()
  private readonly imageNode = new Konva.Image({ image: undefined, listening: false })
  private readonly maskNode = new Konva.Image({ image: undefined, listening: false })
  private readonly maskCanvas = document.createElement('canvas')
  private readonly maskContext: CanvasRenderingContext2D

  constructor(container: HTMLDivElement) {
    this.stage = new Konva.Stage({ container, width: container.clientWidth || 1, height: container.clientHeight || 1, listening: false })
    this.imageLayer.add(this.imageNode)
    this.maskLayer.add(this.maskNode)
    this.stage.add(this.imageLayer, this.maskLayer, this.preview.layer)
    const ctx = this.maskCanvas.getContext('2d', { willReadFrequently: false })
    if (!ctx) throw new Error('editor-stage: the browser gave no 2D canvas context for the mask')
    this.maskContext = ctx
  }

  get width(): number {
    return this.stage.width()
  }

  get height(): number {
    return this.stage.height()
  }

  /** Shows an image and sizes the (cleared) mask canvas to it. */
  setImage(image: EditorImage): void {
    const { width, height } = imageSize(image)
    this.maskCanvas.width = width
    this.maskCanvas.height = height
    this.maskContext.clearRect(0, 0, width, height)
    this.imageNode.image(image)
    this.imageNode.size({ width, height })
    this.maskNode.image(this.maskCanvas)
    this.maskNode.size({ width, height })
  }

  /**
   * Copies the mask's dirty rectangles into the mask canvas (grown by one pixel in outline mode,
   * where a change also changes its neighbours' outline) and redraws the mask layer at once.
   */
  drawDirtyMask(mask: MaskBuffer, table: ColorTable, outline: boolean): void {
    const rects = mask.dirty.take()
    if (rects.length === 0) return
    for (const dirty of rects) {
      const r = outline ? clipRect(expandRect(dirty, 1), mask.width, mask.height) : dirty
      if (!r) continue
      const rgba = renderRegion(mask, r, table, { outline })
      this.maskContext.putImageData(new ImageData(rgba.data, rgba.width, rgba.height), r.x, r.y)
    }
    // Called from the editor's animation frame: draw now, not on Konva's next frame.
    this.maskLayer.draw()
  }

  /** Draws the tool preview. */
  showPreview(p: ToolPreview): void {
    this.preview.show(p)
  }

  /** Applies a zoom/pan transform to every layer. */
  setView(view: View): void {
    this.stage.scale({ x: view.scale, y: view.scale })
    this.stage.position({ x: view.x, y: view.y })
    this.imageLayer.imageSmoothingEnabled(view.scale < 2)
    this.stage.batchDraw()
  }

  /** Overlay opacity and visibility (layer properties: no mask re-render). */
  setOverlay(opacity: number, visible: boolean): void {
    this.maskLayer.opacity(opacity)
    this.maskLayer.visible(visible)
    this.maskLayer.batchDraw()
  }

  /** Follows the container's size. */
  resize(): void {
    const el = this.stage.container()
    this.stage.size({ width: el.clientWidth || 1, height: el.clientHeight || 1 })
    this.stage.batchDraw()
  }

  destroy(): void {
    this.stage.destroy()
  }
}
