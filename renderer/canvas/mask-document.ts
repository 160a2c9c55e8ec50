/**
 * The editable mask of one image without any drawing: buffer, undo history, live class counts and
 * saved/unsaved state. Tools call its operations with image coordinates; the Konva view only redraws
 * what `mask.dirty` reports. Kept free of the DOM so every editing rule is unit-tested in Node.
 */
import { UNLABELED } from '../../core/contract'
import { strokeSpans, type Point } from './brush'
import { ClassCounts } from './class-counts'
import { fillUnlabeled } from './fill-unlabeled'
import { floodFill } from './flood-fill'
import { History, type HistoryOptions } from './history'
import { MaskBuffer } from './mask-buffer'
import { applyPatch, PatchRecorder, type Patch } from './patch'
import { rasterizePolygon, type FillRule } from './polygon'
import type { Rect } from './rect'

interface Command {
  id: number
  patch: Patch
}

/** A summary of the document for views: unsaved flag, counts, undo availability. */
export interface MaskState {
  /** True when the mask differs from the last saved (or loaded) version. */
  dirty: boolean
  /** Pixels per class index 0..classCount-1. */
  counts: number[]
  unlabeled: number
  labeled: number
  total: number
  canUndo: boolean
  canRedo: boolean
}

/** Mask buffer + capped history + class counts of one image. */
export class MaskDocument {
  readonly mask: MaskBuffer
  readonly counts: ClassCounts
  private readonly history: History<Command>
  private readonly recorder: PatchRecorder
  private nextId = 1
  private savedVersion = 0
  private editDepth = 0

  /** Wraps `data` (width × height bytes; all unlabeled when omitted) as the saved state. */
  constructor(width: number, height: number, data?: Uint8Array, history: HistoryOptions = {}) {
    this.mask = new MaskBuffer(width, height, data ? new Uint8Array(data) : undefined)
    this.counts = ClassCounts.fromMask(this.mask.data)
    this.history = new History<Command>(history, (c) => c.patch.bytes)
    this.recorder = new PatchRecorder(this.mask.data, width, height)
  }

  get width(): number {
    return this.mask.width
  }

  get height(): number {
    return this.mask.height
  }

  /** Identifies the current content: changes with every edit, undo and redo; 0 for the loaded mask. */
  get version(): number {
    return this.history.peek()?.id ?? 0
  }

  /** True when the content differs from the version passed to the last {@link markSaved}. */
  isDirty(): boolean {
    return this.version !== this.savedVersion || (this.editDepth > 0 && this.recorder.active)
  }

  /** Records that `version` (default: the current one) is stored; call with the version read before an async save. */
  markSaved(version = this.version): void {
    this.savedVersion = version
  }

  /** Class index at a pixel (255 when unlabeled or outside). */
  valueAt(p: Point): number {
    return this.mask.get(Math.floor(p.x), Math.floor(p.y))
  }

  /** A copy of the mask bytes. */
  getMask(): Uint8Array {
    return new Uint8Array(this.mask.data)
  }

  /** Replaces the whole mask (a stored revision was loaded): history is cleared and the mask counts as saved. */
  setMask(data: Uint8Array): void {
    this.endAllEdits()
    this.mask.replace(data)
    this.counts.recount(this.mask.data)
    this.history.clear()
    this.savedVersion = 0
  }

  /** Opens a command: every change until the matching {@link endEdit} is one undo step. Nests. */
  beginEdit(): void {
    this.editDepth++
  }

  /** Closes a command; returns true when the outermost close recorded a change. */
  endEdit(): boolean {
    if (this.editDepth === 0) return false
    this.editDepth--
    if (this.editDepth > 0) return false
    const patch = this.recorder.commit()
    if (!patch) return false
    this.history.push({ id: this.nextId++, patch })
    return true
  }

  /** Paints a round-brush segment from `a` to `b` with `value` (255 erases). */
  stroke(a: Point, b: Point, size: number, value: number): Rect | null {
    return this.edit(() => {
      const { data, width } = this.mask
      return strokeSpans(a, b, size, this.width, this.height, (y, x0, x1) => this.writeSpan(data, width, y, x0, x1, value))
    })
  }

  /** Fills a closed polygon (flat [x0, y0, x1, y1, ...] in image pixels) with `value`. */
  fillPolygon(points: ArrayLike<number>, value: number, rule: FillRule): Rect | null {
    return this.edit(() => {
      const { data, width } = this.mask
      return rasterizePolygon(points, this.width, this.height, rule, (y, x0, x1) => this.writeSpan(data, width, y, x0, x1, value))
    })
  }

  /** Flood-fills the 4-connected region of equal value under `p` with `value`. */
  floodFill(p: Point, value: number): Rect | null {
    const from = this.valueAt(p)
    return this.edit(() =>
      floodFill(this.mask.data, this.width, this.height, p.x, p.y, value, (y, x0, x1) => {
        this.recorder.touch(y, x0, x1)
        this.counts.move(from, value, x1 - x0 + 1)
      }),
    )
  }

  /** Sets every unlabeled pixel to `value`. */
  fillUnlabeled(value: number): Rect | null {
    return this.edit(() =>
      fillUnlabeled(this.mask.data, this.width, this.height, value, (y, x0, x1) => {
        this.recorder.touch(y, x0, x1)
        this.counts.move(UNLABELED, value, x1 - x0 + 1)
      }),
    )
  }

  /** Reverts the newest command; returns the changed rectangle, or null when there was nothing to undo. */
  undo(): Rect | null {
    this.endAllEdits()
    const c = this.history.undo()
    return c ? this.apply(c.patch, 'undo') : null
  }

  /** Re-applies the newest undone command; returns the changed rectangle, or null. */
  redo(): Rect | null {
    this.endAllEdits()
    const c = this.history.redo()
    return c ? this.apply(c.patch, 'redo') : null
  }

  /** The view's summary, with counts for class indices 0..classCount-1. */
  state(classCount: number): MaskState {
    const total = this.width * this.height
    const unlabeled = this.counts.get(UNLABELED)
    return {
      dirty: this.isDirty(),
      counts: this.counts.toArray(classCount),
      unlabeled,
      labeled: total - unlabeled,
      total,
      canUndo: this.history.canUndo,
      canRedo: this.history.canRedo,
    }
  }

  private edit(op: () => Rect | null): Rect | null {
    this.beginEdit()
    let rect: Rect | null = null
    try {
      rect = op()
      if (rect) this.mask.dirty.add(rect)
    } finally {
      this.endEdit()
    }
    return rect
  }

  private endAllEdits(): void {
    while (this.editDepth > 0) this.endEdit()
  }

  private writeSpan(data: Uint8Array, width: number, y: number, x0: number, x1: number, value: number): void {
    this.recorder.touch(y, x0, x1)
    const end = y * width + x1
    for (let i = y * width + x0; i <= end; i++) {
      const old = data[i]
      if (old !== value) {
        this.counts.move(old, value)
        data[i] = value
      }
    }
  }

  private apply(patch: Patch, direction: 'undo' | 'redo'): Rect {
    applyPatch(this.mask.data, this.width, patch, direction, (_rect, from, to) => this.counts.replace(from, to))
    this.mask.dirty.add(patch.bbox)
    return patch.bbox
  }
}
