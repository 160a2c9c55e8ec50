/**
 * Connected components of rare classes, cut out of training images as paste-able objects: each keeps its
 * class, bounding box, pixels, a 0/1 shape and an alpha matte, hard (the shape) or soft (feathered from a
 * chamfer distance transform, so the object's edge blends into its new background).
 */
import { IGNORE, randInt, type LabeledImage, type Random } from './types'

/** One object to paste: `w`×`h` box, HWC pixels, shape (1 = object) and alpha in [0, 1]. */
export interface Component {
  cls: number
  w: number
  h: number
  channels: number
  pixels: Float32Array
  shape: Uint8Array
  alpha: Float32Array
  area: number
}

export interface ComponentOptions {
  /** Classes to extract. */
  classes: readonly number[]
  connectivity?: 4 | 8
  /** Smallest and largest area in pixels (defaults 16 and unbounded). */
  minSize?: number
  maxSize?: number
  /** Largest bounding-box side (default unbounded): objects must fit in a tile. */
  maxSide?: number
  /** Soft edge width in pixels (0 = hard edge, default 2). */
  feather?: number
}

const N4 = [[1, 0], [-1, 0], [0, 1], [0, -1]] as const
const N8 = [...N4, [1, 1], [1, -1], [-1, 1], [-1, -1]] as const

/** Labels connected regions of `classes` in `labels`: returns component id per pixel (−1 = none) and each id's pixel list. */
export function connectedComponents(labels: Uint8Array, width: number, height: number, classes: readonly number[], connectivity: 4 | 8 = 8): { id: Int32Array; members: Int32Array[] } {
  const wanted = new Uint8Array(256)
  for (const c of classes) if (c !== IGNORE) wanted[c] = 1
  const id = new Int32Array(labels.length).fill(-1)
  const members: Int32Array[] = []
  const stack = new Int32Array(labels.length)
  const nbrs = connectivity === 8 ? N8 : N4
  for (let start = 0; start < labels.length; start++) {
    if (id[start] >= 0 || !wanted[labels[start]]) continue
    const cls = labels[start]
    const comp = members.length
    const list: number[] = []
    let top = 0
    stack[top++] = start
    id[start] = comp
    while (top > 0) {
      const p = stack[--top]
      list.push(p)
      const x = p % width
      const y = (p - x) / width
      for (const [dx, dy] of nbrs) {
        const nx = x + dx
        const ny = y + dy
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue
        const q = ny * width + nx
        if (id[q] < 0 && labels[q] === cls) {
          id[q] = comp
          stack[top++] = q
        }
      }
    }
    members.push(Int32Array.from(list))
  }
  return { id, members }
}

/**
 * Chamfer (3-4) distance, in pixels, from each shape pixel to the nearest non-shape pixel or the box
 * edge; 0 outside the shape. A shape pixel next to the background gets 1.
 */
export function insideDistance(shape: Uint8Array, w: number, h: number): Float32Array {
  const big = 1e9
  const d = new Float32Array(w * h)
  for (let i = 0; i < d.length; i++) d[i] = shape[i] ? big : 0
  const at = (x: number, y: number): number => (x < 0 || y < 0 || x >= w || y >= h ? 0 : d[y * w + x])
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x
      if (!shape[i]) continue
      d[i] = Math.min(d[i], at(x - 1, y) + 3, at(x, y - 1) + 3, at(x - 1, y - 1) + 4, at(x + 1, y - 1) + 4)
    }
  }
  for (let y = h - 1; y >= 0; y--) {
    for (let x = w - 1; x >= 0; x--) {
      const i = y * w + x
      if (!shape[i]) continue
      d[i] = Math.min(d[i], at(x + 1, y) + 3, at(x, y + 1) + 3, at(x + 1, y + 1) + 4, at(x - 1, y + 1) + 4)
    }
  }
  for (let i = 0; i < d.length; i++) d[i] /= 3
  return d
}

/** Alpha of a shape: the shape itself (feather 0), or min(1, distance / feather) inside it. */
export function alphaMatte(shape: Uint8Array, w: number, h: number, feather: number): Float32Array {
  if (feather <= 0) return Float32Array.from(shape)
  const d = insideDistance(shape, w, h)
  return d.map((v) => Math.min(1, v / feather))
}

/** The components of `opts.classes` in one image that pass the size limits. */
export function extractComponents(image: LabeledImage, opts: ComponentOptions): Component[] {
  const { width, height, channels: c } = image
  const { members } = connectedComponents(image.labels, width, height, opts.classes, opts.connectivity ?? 8)
  const minSize = opts.minSize ?? 16
  const maxSize = opts.maxSize ?? Infinity
  const maxSide = opts.maxSide ?? Infinity
  const out: Component[] = []
  for (const list of members) {
    if (list.length < minSize || list.length > maxSize) continue
    let x0 = width
    let y0 = height
    let x1 = -1
    let y1 = -1
    for (const p of list) {
      const x = p % width
      const y = (p - x) / width
      x0 = Math.min(x0, x)
      x1 = Math.max(x1, x)
      y0 = Math.min(y0, y)
      y1 = Math.max(y1, y)
    }
    const w = x1 - x0 + 1
    const h = y1 - y0 + 1
    if (w > maxSide || h > maxSide) continue
    const shape = new Uint8Array(w * h)
    const pixels = new Float32Array(w * h * c)
    for (const p of list) {
      const x = p % width
      const y = (p - x) / width
      const q = (y - y0) * w + (x - x0)
      shape[q] = 1
      for (let k = 0; k < c; k++) pixels[q * c + k] = image.data[p * c + k]
    }
    out.push({ cls: image.labels[list[0]], w, h, channels: c, pixels, shape, alpha: alphaMatte(shape, w, h, opts.feather ?? 2), area: list.length })
  }
  return out
}

/** Keeps at most `max` components, a seeded random subset (so a bank never holds every speck of a huge project). */
export function limitComponents(components: readonly Component[], max: number, rng: Random): Component[] {
  const pool = [...components]
  const out: Component[] = []
  while (out.length < max && pool.length > 0) out.push(pool.splice(randInt(rng, pool.length), 1)[0])
  return out
}
