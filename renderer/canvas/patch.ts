/**
 * Undo patches: the before and after bytes of the tiles an edit touched. Tiles let one stroke that
 * wanders across a large image keep only the areas it crossed, and let the recorder copy "before"
 * bytes lazily, the first time a tile is about to be written.
 */
import { rectUnion, type Rect } from './rect'

/** Default tile edge in pixels. */
export const PATCH_TILE = 64

/** One changed tile: its rectangle and its bytes before and after the edit, row by row. */
export interface PatchTile {
  rect: Rect
  before: Uint8Array
  after: Uint8Array
}

/** The bytes an edit changed, enough to undo and redo it. */
export interface Patch {
  tiles: PatchTile[]
  /** Bounding box of all tiles. */
  bbox: Rect
  /** Bytes held (before + after), for the history's memory budget. */
  bytes: number
}

/** Copies a rectangle out of a row-major byte image. */
export function readBytes(data: Uint8Array, width: number, r: Rect): Uint8Array {
  const out = new Uint8Array(r.w * r.h)
  for (let row = 0; row < r.h; row++) {
    const start = (r.y + row) * width + r.x
    out.set(data.subarray(start, start + r.w), row * r.w)
  }
  return out
}

/** Writes a rectangle's bytes into a row-major byte image. */
export function writeBytes(data: Uint8Array, width: number, r: Rect, bytes: Uint8Array): void {
  for (let row = 0; row < r.h; row++) {
    data.set(bytes.subarray(row * r.w, (row + 1) * r.w), (r.y + row) * width + r.x)
  }
}

/**
 * Collects the "before" bytes of every tile an edit is about to write. Call {@link touch} (or
 * {@link touchRect}) before each write and {@link commit} when the edit ends.
 */
export class PatchRecorder {
  private readonly tilesX: number
  private readonly seen: Uint8Array
  private pending: PatchTile[] = []

  constructor(
    private readonly data: Uint8Array,
    private readonly width: number,
    private readonly height: number,
    private readonly tile = PATCH_TILE,
  ) {
    this.tilesX = Math.ceil(width / tile)
    this.seen = new Uint8Array(this.tilesX * Math.ceil(height / tile))
  }

  /** True when some tile was touched since the last commit. */
  get active(): boolean {
    return this.pending.length > 0
  }

  /** Records the tiles under row `y`, columns x0..x1, before they are written. */
  touch(y: number, x0: number, x1: number): void {
    const ty = Math.floor(y / this.tile)
    const t1 = Math.floor(x1 / this.tile)
    for (let tx = Math.floor(x0 / this.tile); tx <= t1; tx++) this.touchTile(tx, ty)
  }

  /** Records every tile under a rectangle before it is written. */
  touchRect(r: Rect): void {
    for (let ty = Math.floor(r.y / this.tile); ty <= Math.floor((r.y + r.h - 1) / this.tile); ty++) {
      for (let tx = Math.floor(r.x / this.tile); tx <= Math.floor((r.x + r.w - 1) / this.tile); tx++) this.touchTile(tx, ty)
    }
  }

  /** Ends the edit: returns the tiles whose bytes changed, or null when none did. */
  commit(): Patch | null {
    const tiles: PatchTile[] = []
    let bbox: Rect = { x: 0, y: 0, w: 0, h: 0 }
    let bytes = 0
    for (const t of this.pending) {
      this.seen[Math.floor(t.rect.y / this.tile) * this.tilesX + Math.floor(t.rect.x / this.tile)] = 0
      const after = readBytes(this.data, this.width, t.rect)
      if (sameBytes(t.before, after)) continue
      tiles.push({ rect: t.rect, before: t.before, after })
      bbox = rectUnion(bbox, t.rect)
      bytes += t.before.length * 2
    }
    this.pending = []
    return tiles.length > 0 ? { tiles, bbox, bytes } : null
  }

  private touchTile(tx: number, ty: number): void {
    const i = ty * this.tilesX + tx
    if (this.seen[i]) return
    this.seen[i] = 1
    const x = tx * this.tile
    const y = ty * this.tile
    const rect = { x, y, w: Math.min(this.tile, this.width - x), h: Math.min(this.tile, this.height - y) }
    const before = readBytes(this.data, this.width, rect)
    this.pending.push({ rect, before, after: before })
  }
}

/**
 * Writes a patch's "before" bytes (undo) or "after" bytes (redo) back. `onTile` sees each tile's
 * bytes as they were and as they become, so statistics can be updated without a full recount.
 */
export function applyPatch(
  data: Uint8Array,
  width: number,
  patch: Patch,
  direction: 'undo' | 'redo',
  onTile?: (rect: Rect, from: Uint8Array, to: Uint8Array) => void,
): void {
  for (const t of patch.tiles) {
    const [from, to] = direction === 'undo' ? [t.after, t.before] : [t.before, t.after]
    writeBytes(data, width, t.rect, to)
    onTile?.(t.rect, from, to)
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
