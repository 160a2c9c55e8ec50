/**
 * Per-class pixel counting of one 8-bit indexed mask. This is the hot loop of a full balance
 * recompute (a megapixel mask per image), so it reads the mask four bytes at a time and counts a run
 * of identical words once: label masks are made of large uniform regions, which makes most words
 * repeat their predecessor.
 */
import { AppError, UNLABELED } from '../contract'

/**
 * Counts labeled pixels per class in an indexed mask (255 = unlabeled, never counted).
 * Returns an array of length `classCount`; throws MASK_CLASS when a pixel holds an index that is
 * neither a class nor 255. `file` names the mask in that error.
 */
export function countClassPixels(mask: Uint8Array, classCount: number, file?: string): Float64Array {
  const hist = histogram256(mask)
  for (let v = classCount; v < 256; v++) {
    if (v !== UNLABELED && hist[v] > 0) {
      const where = file ?? 'mask'
      throw new AppError(
        'MASK_CLASS',
        `${where}: ${hist[v]} pixel(s) use class index ${v}, but the project has ${classCount} class(es) (0..${classCount - 1}, 255 = unlabeled)`,
        file,
      )
    }
  }
  const counts = new Float64Array(classCount)
  for (let c = 0; c < classCount; c++) counts[c] = hist[c]
  return counts
}

/** Histogram of all 256 byte values of `bytes`. */
export function histogram256(bytes: Uint8Array): Float64Array {
  const hist = new Float64Array(256)
  const n = bytes.length
  // Unaligned head and the tail are counted byte by byte; the aligned middle word by word.
  let start = (4 - (bytes.byteOffset & 3)) & 3
  if (start > n) start = n
  for (let i = 0; i < start; i++) hist[bytes[i]]++
  const words = (n - start) >>> 2
  const wordView = words > 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset + start, words) : new Uint32Array(0)
  let prev = 0
  let run = 0
  for (let i = 0; i < words; i++) {
    const w = wordView[i]
    if (w === prev && run > 0) {
      run++
      continue
    }
    if (run > 0) addWord(hist, prev, run)
    prev = w
    run = 1
  }
  if (run > 0) addWord(hist, prev, run)
  for (let i = start + words * 4; i < n; i++) hist[bytes[i]]++
  return hist
}

function addWord(hist: Float64Array, w: number, times: number): void {
  hist[w & 0xff] += times
  hist[(w >>> 8) & 0xff] += times
  hist[(w >>> 16) & 0xff] += times
  hist[w >>> 24] += times
}
