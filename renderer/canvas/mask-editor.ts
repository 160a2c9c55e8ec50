/**
 * The mask editor: a framework-free class owning a Konva stage with the image and cursor-preview
 * layers and the mask overlay between them. Vue mounts it on a div, relays its typed events and calls
 * its methods; it never imports Vue. Painting goes to the offscreen {@link MaskDocument}; each animation frame redraws only
 * the screen area under the dirty rectangles, so a pointer move costs the same on any image size.
 */
import { UNLABELED, type ClassDef } from '../../core/contract'
import { clampBrushSize } from './brush'
import { Emitter } from './emitter'
import type { EditorCommand, KeyboardTarget } from './keyboard'
import type { MaskEditorEvents, MaskEditorOptions } from './editor-types'
import { EditorStage, imageSize, type EditorImage } from './editor-stage'
import { buildColorTable, type ColorTable } from './mask-buffer'
import { MaskDocument, type MaskState } from './mask-document'
import type { FillRule } from './polygon'
import { PointerInput } from './pointer-input'
import type { TileSource } from './tiled-image'
import { createTools, fillAllUnlabeled, type EditorMode, type Tool, type ToolContext, type ToolMode } from './tools'
import { centred, fitView, zoomAt, type View } from './viewport'

export type { EditorImage } from './editor-stage'
export type { MaskEditorEvents, MaskEditorOptions } from './editor-types'

/** The editor; see the module comment. Call {@link destroy} when unmounting. */
export class MaskEditor implements KeyboardTarget {
  private readonly events = new Emitter<MaskEditorEvents>()
  private readonly stage: EditorStage
  private readonly tools: Record<ToolMode, Tool> = createTools()
  private readonly input: PointerInput
  private readonly resizeObserver: ResizeObserver
  private doc = new MaskDocument(1, 1)
  private classes: readonly ClassDef[]
  private table: ColorTable
  private view: View = { scale: 1, x: 0, y: 0 }
  private fitted = true
  private frame = 0
  private changed = false
  private _mode: EditorMode
  private _classIndex: number
  private _brushSize: number
  private opacity: number
  private overlayVisible = true
  private outline: boolean
  private _fillRule: FillRule
  private readonly historyLimit: number

  constructor(options: MaskEditorOptions) {
    const { container } = options
    this.classes = options.classes
    this.table = buildColorTable(options.classes)
    this._mode = options.mode ?? 'brush'
    this._classIndex = options.classes[0]?.index ?? 0
    this._brushSize = clampBrushSize(options.brushSize ?? 12)
    this.opacity = options.opacity ?? 0.5
    this.outline = options.outline ?? false
    this._fillRule = options.fillRule ?? 'nonzero'
    this.historyLimit = options.historyLimit ?? 200
    this.stage = new EditorStage(container, (stats) => this.events.emit('tiles', stats))
    this.stage.setOverlay(this.opacity, true)
    this.input = new PointerInput(container, this)
    this.resizeObserver = new ResizeObserver(() => this.resize())
    this.resizeObserver.observe(container)
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof MaskEditorEvents>(name: K, listener: (payload: MaskEditorEvents[K]) => void): () => void {
    return this.events.on(name, listener)
  }

  /** Shows an image with its mask (all unlabeled when null), resets history and fits the view. */
  load(image: EditorImage, mask: Uint8Array | null = null): void {
    const { width, height } = imageSize(image)
    this.resetDocument(width, height, mask)
    this.stage.setImage(image)
    this.fit()
    this.touch()
  }

  /**
   * Like {@link load} for a large image shown through display tiles: nothing the image's size is decoded,
   * only the tiles on screen (see tiled-image.ts).
   */
  loadTiled(source: TileSource, mask: Uint8Array | null = null): void {
    this.resetDocument(source.width, source.height, mask)
    this.stage.setTiled(source)
    this.fit()
    this.touch()
  }

  private resetDocument(width: number, height: number, mask: Uint8Array | null): void {
    this.cancelTool()
    this.doc = new MaskDocument(width, height, mask ?? undefined, { limit: this.historyLimit })
    this.doc.mask.dirty.addAll()
  }

  /** Replaces the mask (a stored revision was loaded): history cleared, counts as saved. */
  setMask(data: Uint8Array): void {
    this.cancelTool()
    this.doc.setMask(data)
    this.touch()
  }

  /** A copy of the mask (width × height class indices, 255 = unlabeled). */
  getMask(): Uint8Array {
    return this.doc.getMask()
  }

  /** The mask and its version, read together; pass the version to {@link markSaved} once stored. */
  snapshot(): { data: Uint8Array; version: number; width: number; height: number } {
    return { data: this.doc.getMask(), version: this.doc.version, width: this.doc.width, height: this.doc.height }
  }

  /** True when there are changes since the last save (or load). */
  isDirty(): boolean {
    return this.doc.isDirty()
  }

  /** Records a save of `version` (default: now). Edits made while saving keep the editor dirty. */
  markSaved(version?: number): void {
    this.doc.markSaved(version)
    this.touch()
  }

  /** Current state for the view (counts per class index, dirty, undo availability). */
  state(): MaskState & { version: number } {
    const classCount = Math.max(0, ...this.classes.map((c) => c.index + 1))
    return { ...this.doc.state(classCount), version: this.doc.version }
  }

  get mode(): EditorMode {
    return this._mode
  }

  /** Switches tool; an operation in progress ends (a stroke keeps its paint, an open polygon is dropped). */
  setMode(mode: EditorMode): void {
    if (mode === this._mode) return
    this.cancelTool()
    this._mode = mode
    this.input.updateCursor()
    this.events.emit('modeChange', { mode })
    this.requestFrame()
  }

  get classIndex(): number {
    return this._classIndex
  }

  /** Selects the class painted by brush, polygon, lasso and fill. */
  setClass(index: number): void {
    if (index === this._classIndex || index < 0 || index >= UNLABELED) return
    this._classIndex = index
    this.events.emit('classChange', { classIndex: index })
  }

  /** Replaces the class list (names or colours edited); the mask is redrawn. */
  setClasses(classes: readonly ClassDef[]): void {
    this.classes = classes
    this.table = buildColorTable(classes)
    this.doc.mask.dirty.addAll()
    this.touch()
  }

  get brushSize(): number {
    return this._brushSize
  }

  /** Sets the brush diameter (clamped to 1..200). */
  setBrushSize(size: number): void {
    const s = clampBrushSize(size)
    if (s === this._brushSize) return
    this._brushSize = s
    this.events.emit('brushSizeChange', { size: s })
    this.requestFrame()
  }

  get fillRule(): FillRule {
    return this._fillRule
  }

  /** Sets how polygon and lasso fills treat self-intersections ('nonzero' fills loops, 'evenodd' leaves holes). */
  setFillRule(rule: FillRule): void {
    this._fillRule = rule
  }

  /** Sets the overlay opacity 0..1 (a layer property: no mask redraw). */
  setOpacity(opacity: number): void {
    this.opacity = Math.min(1, Math.max(0, opacity))
    this.stage.setOverlay(this.opacity, this.overlayVisible)
    this.emitDisplay()
  }

  /** Shows or hides the mask overlay. */
  setOverlayVisible(visible: boolean): void {
    this.overlayVisible = visible
    this.stage.setOverlay(this.opacity, visible)
    this.emitDisplay()
  }

  /** Switches outline-only mode (redraws the whole mask once). */
  setOutline(outline: boolean): void {
    if (outline === this.outline) return
    this.outline = outline
    this.doc.mask.dirty.addAll()
    this.requestFrame()
    this.emitDisplay()
  }

  /** Undoes the last edit. */
  undo(): void {
    this.cancelTool()
    if (this.doc.undo()) this.touch()
  }

  /** Redoes the last undone edit. */
  redo(): void {
    this.cancelTool()
    if (this.doc.redo()) this.touch()
  }

  /** Fills every unlabeled pixel with the current class (one undo step). */
  fillUnlabeled(): void {
    this.cancelTool()
    if (fillAllUnlabeled(this.toolContext())) this.touch()
  }

  /** Fits the whole image in the view. */
  fit(): void {
    this.setView(fitView(this.doc.width, this.doc.height, this.stage.width, this.stage.height), true)
  }

  /** One image pixel per screen pixel, centred. */
  actualSize(): void {
    this.setView(centred(this.doc.width, this.doc.height, this.stage.width, this.stage.height, 1), false)
  }

  /** Zooms by `factor` around a stage point (default: the centre). */
  zoomBy(factor: number, sx = this.stage.width / 2, sy = this.stage.height / 2): void {
    this.setView(zoomAt(this.view, factor, sx, sy), false)
  }

  /** Moves the view by a screen offset. */
  panBy(dx: number, dy: number): void {
    this.setView({ ...this.view, x: this.view.x + dx, y: this.view.y + dy }, false)
  }

  /** The current view transform (for the pointer input and the view's zoom display). */
  getView(): View {
    return { ...this.view }
  }

  /** Holds pan mode while space is down. */
  setPanHold(active: boolean): void {
    this.input.setPanHold(active)
  }

  /** Runs a keyboard command (see keyboard.ts). */
  runCommand(c: EditorCommand): void {
    switch (c.type) {
      case 'selectClass': {
        const cls = this.classes[c.slot]
        if (cls) this.setClass(cls.index)
        return
      }
      case 'mode': return this.setMode(c.mode)
      case 'brushSize': return this.setBrushSize(this._brushSize + c.direction * Math.max(1, Math.round(this._brushSize * 0.15)))
      case 'undo': return this.undo()
      case 'redo': return this.redo()
      case 'save': return this.events.emit('save', { version: this.doc.version })
      case 'fit': return this.fit()
      case 'actualSize': return this.actualSize()
      case 'toggleOverlay': return this.setOverlayVisible(!this.overlayVisible)
      case 'toggleOutline': return this.setOutline(!this.outline)
      case 'fillUnlabeled': return this.fillUnlabeled()
      case 'commit': return this.withTool((t, ctx) => t.commit(ctx))
      case 'back': return this.withTool((t, ctx) => void t.back(ctx))
      case 'cancel': return this.cancelTool()
      case 'panHold': return this.setPanHold(c.active)
    }
  }

  /** The tool of the current mode, or null in pan mode (for the pointer input). */
  currentTool(): Tool | null {
    return this._mode === 'pan' ? null : this.tools[this._mode]
  }

  /** The context tools act in (for the pointer input). */
  toolContext(): ToolContext {
    return {
      doc: this.doc,
      classIndex: this._classIndex,
      brushSize: this._brushSize,
      fillRule: this._fillRule,
      imagePixelsPerScreenPixel: 1 / this.view.scale,
      pick: (classIndex) => {
        this.events.emit('pick', { classIndex })
        if (classIndex !== UNLABELED && this.classes.some((c) => c.index === classIndex)) this.setClass(classIndex)
      },
    }
  }

  /** Notes that the mask or the tool state changed: redraw and emit `change` on the next frame. */
  touch(): void {
    this.changed = true
    this.requestFrame()
  }

  /** Schedules a redraw on the next animation frame (at most one pending). */
  requestFrame(): void {
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.drawFrame())
  }

  /** Removes listeners, the stage and its canvases. */
  destroy(): void {
    if (this.frame) cancelAnimationFrame(this.frame)
    this.frame = 0
    this.resizeObserver.disconnect()
    this.input.destroy()
    this.events.clear()
    this.stage.destroy()
  }

  private drawFrame(): void {
    this.frame = 0
    this.stage.drawDirtyMask(this.doc.mask, this.table, this.outline)
    this.stage.showPreview(this.currentTool()?.preview(this.toolContext(), this.input.hover) ?? { kind: 'none' })
    if (this.changed) {
      this.changed = false
      this.events.emit('change', this.state())
    }
  }

  private withTool(run: (tool: Tool, ctx: ToolContext) => void): void {
    const tool = this.currentTool()
    if (!tool) return
    run(tool, this.toolContext())
    this.touch()
  }

  private cancelTool(): void {
    this.input.endGesture()
    this.withTool((t, ctx) => t.cancel(ctx))
  }

  private setView(view: View, fitted: boolean): void {
    this.view = view
    this.fitted = fitted
    this.stage.setView(view)
    this.requestFrame()
    this.events.emit('zoom', { scale: view.scale })
  }

  private resize(): void {
    this.stage.resize()
    this.requestFrame()
    if (this.fitted) this.fit()
  }

  private emitDisplay(): void {
    this.events.emit('displayChange', { opacity: this.opacity, overlayVisible: this.overlayVisible, outline: this.outline })
  }
}
