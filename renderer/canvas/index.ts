/**
 * Public surface of the framework-free mask editor, for the Vue view that mounts it.
 */
export { MaskEditor } from './mask-editor'
export type { EditorImage, MaskEditorEvents, MaskEditorOptions } from './mask-editor'
export type { MaskState } from './mask-document'
export { attachKeyboard, commandForKey, type EditorCommand } from './keyboard'
export { EDITOR_MODES, type EditorMode } from './tools/tool'
export type { FillRule } from './polygon'
export { MIN_BRUSH_SIZE, MAX_BRUSH_SIZE } from './brush'
export { decodeMaskPng, encodeMaskPng, maskFromDto, maskToBase64Png } from './mask-codec'
export { shouldTile, TILED_MIN_SIDE, type TileKey, type TilingMode } from './tile-math'
export type { LoadedTile, TiledStats, TileSource } from './tiled-image'
