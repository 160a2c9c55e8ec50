/**
 * Options and events of {@link MaskEditor}: the whole surface a view needs besides its methods.
 */
import type { ClassDef } from '../../core/contract'
import type { MaskState } from './mask-document'
import type { FillRule } from './polygon'
import type { TiledStats } from './tiled-image'
import type { EditorMode } from './tools/tool'

/** Construction options of the MaskEditor; everything but the container and classes has a default. */
export interface MaskEditorOptions {
  /** The element the stage fills; the editor follows its size. */
  container: HTMLDivElement
  classes: readonly ClassDef[]
  /** Default 'brush'. */
  mode?: EditorMode
  /** Brush/eraser diameter in image pixels, 1..200 (default 12). */
  brushSize?: number
  /** Mask overlay opacity 0..1 (default 0.5). */
  opacity?: number
  outline?: boolean
  /** Polygon/lasso fill rule (default 'nonzero'). */
  fillRule?: FillRule
  /** Undo steps kept (default 200). */
  historyLimit?: number
}

/** Events the editor emits. `change` fires at most once per frame while the mask changes. */
export interface MaskEditorEvents {
  change: MaskState & { version: number }
  /** The picker (or Alt+click) read this value under the cursor; 255 = unlabeled. */
  pick: { classIndex: number }
  modeChange: { mode: EditorMode }
  classChange: { classIndex: number }
  brushSizeChange: { size: number }
  /** Overlay opacity, visibility or outline mode changed. */
  displayChange: { opacity: number; overlayVisible: boolean; outline: boolean }
  zoom: { scale: number }
  /** Ctrl+S: the view should save now. */
  save: { version: number }
  /** A tiled (large) image's layer changed: level, tiles drawn, requests, last error. */
  tiles: TiledStats
}

