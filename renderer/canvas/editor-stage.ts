/**
 * The drawing side of the editor: a Konva stage with the image layer and the cursor/preview layer, and
 * between them the mask overlay, a screen-sized canvas computed from the mask bytes ({@link ScreenMask}).
 * Konva never redraws the mask: a frame after a paint rewrites only the screen area under the dirty
 * rectangles, so its cost does not grow with the image; opacity and visibility are style changes.
 * A large image is drawn from display tiles ({@link TiledImage}) in place of the one image node.
 */
import Konva from 'konva'
import type { ColorTable, MaskBuffer } from './mask-buffer'
import { ScreenMask } from './screen-mask'
import { PreviewLayer } from './preview-layer'
import { TiledImage, type TiledStats, type TileSource } from './tiled-image'
import type { ToolPreview } from './tools/tool'
import type { View } from './viewport'

/** An image the editor can show. */
export type EditorImage = HTMLImageElement | ImageBitmap | HTMLCanvasElement

/** Width and height of an image in pixels (natural size for an <img>). */
export function imageSize(image: EditorImage): { width: number; height: number } {
  return image instanceof HTMLImageElement ? { width: image.naturalWidth, height: image.naturalHeight } : { width: image.width, height: image.height }
}

/** Owns the Konva stage and the mask overlay, and draws into them. */
export class EditorStage {
  readonly stage: Konva.Stage
  private readonly imageLayer = new Konva.Layer({ listening: false })
  private readonly preview = new PreviewLayer()
  private readonly imageNode = new Konva.Image({ image: undefined, listening: false })
  private readonly mask = new ScreenMask()
  private tiled: TiledImage | null = null
  private view: View = { scale: 1, x: 0, y: 0 }

  /** `onTiles` hears what the tiled layer shows (large images only). */
  constructor(
    container: HTMLDivElement,
    private readonly onTiles: (stats: TiledStats) => void = () => undefined,
  ) {
    this.stage = new Konva.Stage({ container, width: container.clientWidth || 1, height: container.clientHeight || 1, listening: false })
    this.imageLayer.add(this.imageNode)
    this.stage.add(this.imageLayer, this.preview.layer)
    const content = this.stage.content
    content.style.overflow = 'hidden'
    content.insertBefore(this.mask.element, this.preview.layer.getNativeCanvasElement())
    this.mask.resize(this.width, this.height)
  }

  get width(): number {
    return this.stage.width()
  }

  get height(): number {
    return this.stage.height()
  }

  /** Shows an image; the next mask draw repaints the whole overlay. */
  setImage(image: EditorImage): void {
    const { width, height } = imageSize(image)
    this.dropTiled()
    this.imageNode.visible(true)
    this.imageNode.image(image)
    this.imageNode.size({ width, height })
    this.mask.invalidate()
    this.imageLayer.batchDraw()
  }

  /** Shows a large image through its display tiles (drawn once the view is set); the image node is emptied. */
  setTiled(source: TileSource): void {
    this.dropTiled()
    this.imageNode.image(undefined)
    this.imageNode.visible(false)
    const tiled = new TiledImage(source, (stats) => this.tileStats(stats))
    this.tiled = tiled
    this.imageLayer.add(tiled.node)
    this.stage.container().dataset.tiled = 'true'
    this.mask.invalidate()
    tiled.update(this.view, this.width, this.height, this.ratio)
  }

  /** Brings the mask overlay up to date (see {@link ScreenMask.draw}); returns the device pixels written. */
  drawDirtyMask(mask: MaskBuffer, table: ColorTable, outline: boolean): number {
    return this.mask.draw(mask, table, outline)
  }

  /** Draws the tool preview. */
  showPreview(p: ToolPreview): void {
    this.preview.show(p)
  }

  /** Applies a zoom/pan transform to the Konva layers and the mask overlay (redrawn on the next frame). */
  setView(view: View): void {
    this.view = { ...view }
    this.tiled?.update(view, this.width, this.height, this.ratio)
    this.stage.scale({ x: view.scale, y: view.scale })
    this.stage.position({ x: view.x, y: view.y })
    this.imageLayer.imageSmoothingEnabled(view.scale < 2)
    this.mask.setView(view)
    this.stage.batchDraw()
  }

  /** Overlay opacity and visibility (style only: no mask re-render). */
  setOverlay(opacity: number, visible: boolean): void {
    this.mask.setOverlay(opacity, visible)
  }

  /** Follows the container's size. */
  resize(): void {
    const el = this.stage.container()
    this.stage.size({ width: el.clientWidth || 1, height: el.clientHeight || 1 })
    this.mask.resize(this.width, this.height)
    this.tiled?.update(this.view, this.width, this.height, this.ratio)
    this.stage.batchDraw()
  }

  destroy(): void {
    this.dropTiled()
    this.mask.destroy()
    this.stage.destroy()
  }

  private get ratio(): number {
    return window.devicePixelRatio || 1
  }

  /** Mirrors the tiled layer's state on the container (data-tile-level, data-tiles-drawn, …) and passes it on. */
  private tileStats(stats: TiledStats): void {
    const data = this.stage.container().dataset
    data.tileLevel = String(stats.level)
    data.tilesVisible = String(stats.visible)
    data.tilesDrawn = String(stats.drawn)
    data.tilesRequested = String(stats.requested)
    this.onTiles(stats)
  }

  private dropTiled(): void {
    if (!this.tiled) return
    this.tiled.destroy()
    this.tiled = null
    const data = this.stage.container().dataset
    for (const k of ['tiled', 'tileLevel', 'tilesVisible', 'tilesDrawn', 'tilesRequested']) delete data[k]
  }
}
