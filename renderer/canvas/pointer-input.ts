/**
 * Pointer, wheel and double-click input of the editor stage, turned into tool calls in image
 * coordinates, panning and zooming. Uses pointer capture, so a stroke continues when the pointer
 * leaves the stage, and coalesced events, so fast strokes keep every sample the device reported.
 */
import type { Point } from './brush'
import type { EditorMode, Tool, ToolContext } from './tools/tool'
import { screenToImage, wheelZoomFactor, type View } from './viewport'

/** The editor operations the input drives. */
export interface PointerHost {
  readonly mode: EditorMode
  getView(): View
  currentTool(): Tool | null
  toolContext(): ToolContext
  /** The mask may have changed: redraw and report on the next frame. */
  touch(): void
  /** Only the preview changed: redraw on the next frame. */
  requestFrame(): void
  panBy(dx: number, dy: number): void
  zoomBy(factor: number, sx: number, sy: number): void
}

/** Tools on which Alt+click picks the class under the cursor. */
const ALT_PICK: readonly EditorMode[] = ['brush', 'eraser', 'fill', 'polygon', 'lasso']

/** Listens on the stage's container element; see the module comment. */
export class PointerInput {
  /** The image point under the cursor, or null when it is outside the stage. */
  hover: Point | null = null
  private panHold = false
  private panning: { id: number; x: number; y: number } | null = null
  private pressedId: number | null = null
  private readonly off: (() => void)[] = []

  constructor(
    private readonly el: HTMLElement,
    private readonly host: PointerHost,
  ) {
    el.style.touchAction = 'none'
    this.listen('pointerdown', (e) => this.down(e as PointerEvent))
    this.listen('pointermove', (e) => this.move(e as PointerEvent))
    this.listen('pointerup', (e) => this.up(e as PointerEvent))
    this.listen('pointercancel', (e) => this.up(e as PointerEvent))
    this.listen('pointerleave', () => {
      this.hover = null
      this.host.requestFrame()
    })
    this.listen('dblclick', (e) => this.withTool((tool, ctx) => tool.doubleClick(ctx, { point: this.point(e as MouseEvent), shift: (e as MouseEvent).shiftKey })))
    this.listen('wheel', (e) => this.wheel(e as WheelEvent), { passive: false })
    this.listen('contextmenu', (e) => e.preventDefault())
    this.updateCursor()
  }

  /** Space held: the left button pans. */
  setPanHold(active: boolean): void {
    this.panHold = active
    this.updateCursor()
  }

  /** Sets the CSS cursor for the mode. */
  updateCursor(): void {
    const pan = this.panHold || this.host.mode === 'pan'
    this.el.style.cursor = this.panning ? 'grabbing' : pan ? 'grab' : this.host.mode === 'picker' ? 'copy' : 'crosshair'
  }

  /** Forgets a press in progress (the tool is being cancelled by the editor). */
  endGesture(): void {
    if (this.pressedId !== null && this.el.hasPointerCapture(this.pressedId)) this.el.releasePointerCapture(this.pressedId)
    this.pressedId = null
    this.panning = null
    this.updateCursor()
  }

  /** Removes every listener. */
  destroy(): void {
    for (const f of this.off) f()
    this.off.length = 0
  }

  private listen(type: string, fn: (e: Event) => void, options?: AddEventListenerOptions): void {
    this.el.addEventListener(type, fn, options)
    this.off.push(() => this.el.removeEventListener(type, fn, options))
  }

  private local(e: MouseEvent): { x: number; y: number } {
    const r = this.el.getBoundingClientRect()
    return { x: e.clientX - r.left, y: e.clientY - r.top }
  }

  private point(e: MouseEvent): Point {
    const l = this.local(e)
    return screenToImage(this.host.getView(), l.x, l.y)
  }

  /** Runs a tool call; `edits` false for hover moves, which only change the preview. */
  private withTool(run: (tool: Tool, ctx: ToolContext) => void, edits = true): void {
    const tool = this.host.currentTool()
    if (!tool) return
    run(tool, this.host.toolContext())
    if (edits) this.host.touch()
    else this.host.requestFrame()
  }

  private down(e: PointerEvent): void {
    if (this.pressedId !== null || this.panning) return
    const panButton = e.button === 1 || (e.button === 0 && (this.panHold || this.host.mode === 'pan'))
    if (panButton) {
      e.preventDefault()
      this.panning = { id: e.pointerId, x: e.clientX, y: e.clientY }
      this.el.setPointerCapture(e.pointerId)
      this.updateCursor()
      return
    }
    if (e.button !== 0) return
    const point = this.point(e)
    if (e.altKey && ALT_PICK.includes(this.host.mode)) {
      const ctx = this.host.toolContext()
      ctx.pick(ctx.doc.valueAt(point))
      return
    }
    this.pressedId = e.pointerId
    this.el.setPointerCapture(e.pointerId)
    this.withTool((tool, ctx) => tool.down(ctx, { point, shift: e.shiftKey }))
  }

  private move(e: PointerEvent): void {
    this.hover = this.point(e)
    if (this.panning && e.pointerId === this.panning.id) {
      this.host.panBy(e.clientX - this.panning.x, e.clientY - this.panning.y)
      this.panning.x = e.clientX
      this.panning.y = e.clientY
      return
    }
    const pressed = this.pressedId === e.pointerId
    const samples = pressed && typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : []
    const events = samples.length > 0 ? samples : [e]
    this.withTool((tool, ctx) => {
      for (const s of events) tool.move(ctx, { point: this.point(s), shift: s.shiftKey }, pressed)
    }, pressed)
  }

  private up(e: PointerEvent): void {
    if (this.panning && e.pointerId === this.panning.id) {
      this.panning = null
      this.updateCursor()
      return
    }
    if (this.pressedId !== e.pointerId) return
    this.pressedId = null
    if (this.el.hasPointerCapture(e.pointerId)) this.el.releasePointerCapture(e.pointerId)
    this.withTool((tool, ctx) => tool.up(ctx, { point: this.point(e), shift: e.shiftKey }))
  }

  private wheel(e: WheelEvent): void {
    e.preventDefault()
    const l = this.local(e)
    this.host.zoomBy(wheelZoomFactor(e.deltaY, e.deltaMode), l.x, l.y)
  }
}
