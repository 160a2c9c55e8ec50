/**
 * "Fill all unlabeled pixels with the current class": the fast way to finish a background once the
 * objects are painted.
 */
import { UNLABELED } from '../../core/contract'
import { BBox, type Rect, type SpanSink } from './rect'

/**
 * Sets every pixel whose value is 255 to `value`, calling `beforeWrite` with each run before writing
 * it. Returns the bounding box of the changed pixels, or null when there were none.
 */
export function fillUnlabeled(data: Uint8Array, width: number, height: number, value: number, beforeWrite?: SpanSink): Rect | null {
  const box = new BBox()
  if (value === UNLABELED) return null
  for (let y = 0; y < height; y++) {
    const row = y * width
    const line = data.subarray(row, row + width)
    let x = 0
    while (x < width) {
      x = line.indexOf(UNLABELED, x)
      if (x < 0) break
      let end = x
      while (end + 1 < width && data[row + end + 1] === UNLABELED) end++
      beforeWrite?.(y, x, end)
      data.fill(value, row + x, row + end + 1)
      box.addSpan(y, x, end)
      x = end + 1
    }
  }
  return box.rect()
}
