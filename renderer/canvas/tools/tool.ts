/**
 * What every editor tool implements. Tools receive pointer input in image pixel coordinates and
 * act on the {@link MaskDocument}; they never touch Konva, so each one is tested without a DOM.
 */
import type { Point } from '../brush'
import type { MaskDocument } from '../mask-document'
import type { FillRule } from '../polygon'

/** The editor's modes; 'pan' drags the view and has no tool object. */
export type EditorMode = 'brush' | 'eraser' | 'polygon' | 'lasso' | 'fill' | 'picker' | 'pan'

/** Every mode, in toolbar order. */
export const EDITOR_MODES: readonly EditorMode[] = ['brush', 'eraser', 'polygon', 'lasso', 'fill', 'picker', 'pan']

/** Modes backed by a tool object. */
export type ToolMode = Exclude<EditorMode, 'pan'>

/** What a tool may read and do besides editing the document. */
export interface ToolContext {
  readonly doc: MaskDocument
  /** The class painted by brush, polygon, lasso and fill. */
  readonly classIndex: number
  /** Brush and eraser diameter in image pixels (1..200). */
  readonly brushSize: number
  readonly fillRule: FillRule
  /** Image pixels per screen pixel at the current zoom, for hit tolerances given in screen pixels. */
  readonly imagePixelsPerScreenPixel: number
  /** Reports the class under the cursor (255 when unlabeled). */
  pick(classIndex: number): void
}

/** One pointer sample in image coordinates with the modifier keys held. */
export interface ToolPointer {
  point: Point
  shift: boolean
}

/** What the preview layer should draw for the current tool. */
export type ToolPreview =
  | { kind: 'brush'; center: Point; size: number; erase: boolean }
  | { kind: 'path'; points: number[]; closed: boolean }
  | { kind: 'none' }

/** An editor tool: pointer handlers plus the preview to draw. */
export interface Tool {
  readonly mode: ToolMode
  /** True while an operation is in progress (a stroke, an open polygon). */
  readonly busy: boolean
  down(ctx: ToolContext, e: ToolPointer): void
  /** Pointer moved; `pressed` is false while only hovering. */
  move(ctx: ToolContext, e: ToolPointer, pressed: boolean): void
  up(ctx: ToolContext, e: ToolPointer): void
  /** Double click (closes a polygon). */
  doubleClick(ctx: ToolContext, e: ToolPointer): void
  /** Enter: finish the operation in progress. */
  commit(ctx: ToolContext): void
  /** Backspace: remove the last point of an operation in progress; returns false when there was none. */
  back(ctx: ToolContext): boolean
  /** Escape or a mode switch: end the operation in progress (a stroke keeps what was painted). */
  cancel(ctx: ToolContext): void
  /** The preview for a cursor at `hover` (null when the cursor is outside the view). */
  preview(ctx: ToolContext, hover: Point | null): ToolPreview
}

/** Base with no-op handlers, so each tool writes only what it uses. */
export abstract class BaseTool implements Tool {
  abstract readonly mode: ToolMode
  get busy(): boolean {
    return false
  }
  down(_ctx: ToolContext, _e: ToolPointer): void {}
  move(_ctx: ToolContext, _e: ToolPointer, _pressed: boolean): void {}
  up(_ctx: ToolContext, _e: ToolPointer): void {}
  doubleClick(_ctx: ToolContext, _e: ToolPointer): void {}
  commit(_ctx: ToolContext): void {}
  back(_ctx: ToolContext): boolean {
    return false
  }
  cancel(_ctx: ToolContext): void {}
  preview(_ctx: ToolContext, _hover: Point | null): ToolPreview {
    return { kind: 'none' }
  }
}
