/**
 * COCO run-length encoding of binary masks, as pycocotools defines it: the mask is read in COLUMN-major
 * order (down the first column, then the next), and `counts` alternates runs of 0s and 1s starting with
 * 0s (so the first count is 0 when the top-left pixel is set). The compressed form is pycocotools'
 * `rleToString`: each count (from the fourth on, as a difference to the count two before it) is written
 * as little-endian groups of 5 bits, 0x20 marking "more groups follow", every group offset by 48 into
 * printable ASCII; the last group's 0x10 bit is the sign.
 */
import { AppError } from '../contract'

/** COCO RLE: `size` is [height, width]; `counts` uncompressed (numbers) or compressed (string). */
export interface CocoRle {
  size: [number, number]
  counts: number[] | string
}

/**
 * Run lengths of the pixels of a row-major class map that equal `value`, in COCO's column-major order.
 * `data[y * width + x]` is the pixel at column x, row y.
 */
export function encodeRleCounts(data: ArrayLike<number>, width: number, height: number, value: number): number[] {
  assertSize(data.length, width, height)
  const counts: number[] = []
  let current = 0
  let run = 0
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      const bit = data[y * width + x] === value ? 1 : 0
      if (bit === current) {
        run++
      } else {
        counts.push(run)
        current = bit
        run = 1
      }
    }
  }
  counts.push(run)
  return counts
}

/** Decodes uncompressed counts into a row-major 0/1 mask of width × height. */
export function decodeRleCounts(counts: readonly number[], width: number, height: number): Uint8Array {
  const total = width * height
  const out = new Uint8Array(total)
  let pos = 0
  let bit = 0
  for (const run of counts) {
    if (!Number.isInteger(run) || run < 0 || pos + run > total) {
      throw new RangeError(`RLE counts do not fit a ${width}×${height} mask (run ${run} at pixel ${pos} of ${total})`)
    }
    if (bit === 1) {
      for (let i = pos; i < pos + run; i++) out[(i % height) * width + Math.floor(i / height)] = 1
    }
    pos += run
    bit ^= 1
  }
  if (pos !== total) throw new RangeError(`RLE counts cover ${pos} pixels, but a ${width}×${height} mask has ${total}`)
  return out
}

/** pycocotools' compressed string form of uncompressed counts. */
export function compressRleCounts(counts: readonly number[]): string {
  let s = ''
  for (let i = 0; i < counts.length; i++) {
    let x = counts[i]
    if (i > 2) x -= counts[i - 2]
    let more = true
    while (more) {
      // Arithmetic on numbers (not 32-bit bit operations) so huge masks cannot overflow.
      let c = ((x % 32) + 32) % 32
      x = Math.floor(x / 32)
      more = (c & 0x10) !== 0 ? x !== -1 : x !== 0
      if (more) c |= 0x20
      s += String.fromCharCode(c + 48)
    }
  }
  return s
}

/** Inverse of {@link compressRleCounts}; throws RangeError on a character outside the code's range. */
export function decompressRleCounts(s: string): number[] {
  const counts: number[] = []
  let p = 0
  while (p < s.length) {
    let x = 0
    let k = 0
    let more = true
    while (more) {
      if (p >= s.length) throw new RangeError(`compressed RLE ends in the middle of a count (at character ${p})`)
      const c = s.charCodeAt(p) - 48
      if (c < 0 || c > 63) throw new RangeError(`compressed RLE has an invalid character "${s[p]}" at ${p}`)
      x += (c & 0x1f) * 32 ** k
      more = (c & 0x20) !== 0
      p++
      k++
      if (!more && (c & 0x10) !== 0) x -= 32 ** k
    }
    if (counts.length > 2) x += counts[counts.length - 2]
    counts.push(x)
  }
  return counts
}

/** Decodes a COCO RLE (either form) into a row-major 0/1 mask; INVALID_INPUT naming `where` if malformed. */
export function decodeRle(rle: CocoRle, where: string): { width: number; height: number; data: Uint8Array } {
  const [height, width] = rle.size
  try {
    const counts = typeof rle.counts === 'string' ? decompressRleCounts(rle.counts) : rle.counts
    return { width, height, data: decodeRleCounts(counts, width, height) }
  } catch (err) {
    throw new AppError('INVALID_INPUT', `${where}: ${err instanceof Error ? err.message : String(err)}`)
  }
}

/** Pixel count and COCO bbox [x, y, width, height] of the pixels equal to `value` (bbox null when none). */
export function regionStats(
  data: ArrayLike<number>,
  width: number,
  height: number,
  value: number,
): { area: number; bbox: [number, number, number, number] | null } {
  assertSize(data.length, width, height)
  let area = 0
  let minX = width
  let minY = height
  let maxX = -1
  let maxY = -1
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[y * width + x] !== value) continue
      area++
      if (x < minX) minX = x
      if (x > maxX) maxX = x
      if (y < minY) minY = y
      if (y > maxY) maxY = y
    }
  }
  return { area, bbox: area === 0 ? null : [minX, minY, maxX - minX + 1, maxY - minY + 1] }
}

function assertSize(length: number, width: number, height: number): void {
  if (length !== width * height) throw new RangeError(`mask has ${length} pixels, expected ${width}×${height} = ${width * height}`)
}
