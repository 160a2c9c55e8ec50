/**
 * Scanline flood fill of the 4-connected region of equal mask value around a seed pixel. Work is
 * proportional to the region filled (plus its border), not to the image.
 */
import { BBox, type Rect, type SpanSink } from './rect'

/**
 * Sets every pixel 4-connected to (x, y) that has the seed's value to `value`.
 * `beforeWrite` is called with each run just before it is written, so a history recorder can copy
 * the old bytes. Returns the bounding box of the changed pixels, or null when nothing changed
 * (seed outside the image or already `value`).
 */
export function floodFill(
  data: Uint8Array,
  width: number,
  height: number,
  x: number,
  y: number,
  value: number,
  beforeWrite?: SpanSink,
): Rect | null {
  x = Math.floor(x)
  y = Math.floor(y)
  if (x < 0 || y < 0 || x >= width || y >= height) return null
  const target = data[y * width + x]
  if (target === value) return null
  const box = new BBox()
  const stack: number[] = [x, y]
  while (stack.length > 0) {
    const sy = stack.pop() as number
    const sx = stack.pop() as number
    const row = sy * width
    if (data[row + sx] !== target) continue
    let l = sx
    while (l > 0 && data[row + l - 1] === target) l--
    let r = sx
    while (r < width - 1 && data[row + r + 1] === target) r++
    beforeWrite?.(sy, l, r)
    data.fill(value, row + l, row + r + 1)
    box.addSpan(sy, l, r)
    if (sy > 0) pushRuns(data, row - width, l, r, sy - 1, target, stack)
    if (sy < height - 1) pushRuns(data, row + width, l, r, sy + 1, target, stack)
  }
  return box.rect()
}

/** Pushes one seed per run of `target` pixels in columns l..r of a neighbouring row. */
function pushRuns(data: Uint8Array, row: number, l: number, r: number, y: number, target: number, stack: number[]): void {
  let inRun = false
  for (let x = l; x <= r; x++) {
    if (data[row + x] === target) {
      if (!inRun) {
        stack.push(x, y)
        inRun = true
      }
    } else {
      inRun = false
    }
  }
}
