/**
 * Per-class pixel counting of one 8-bit indexed mask. This is the hot loop of a full balance
 * recompute (a megapixel mask per image). Label masks are made of large uniform regions, so the mask
 * is read in 256-byte blocks and a block of one value is counted in a single step.
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

/** Words per block of the uniform-block test: 64 words = 256 bytes, a quarter row of a 1024-wide mask. */
const BLOCK_WORDS = 64
/** Bytes per slice, so that per-slice Uint32 counters cannot overflow. */
const SLICE_BYTES = 1 << 30

/** Histogram of all 256 byte values of `bytes`. */
export function histogram256(bytes: Uint8Array): Float64Array {
  const out = new Float64Array(256)
  for (let from = 0; from < bytes.length; from += SLICE_BYTES) {
    const part = sliceHistogram(bytes.subarray(from, Math.min(bytes.length, from + SLICE_BYTES)))
    for (let v = 0; v < 256; v++) out[v] += part[v]
  }
  return out
}

/**
 * Counts bytes in blocks of 256: a block whose 64 words are all equal is counted in one step (label
 * masks are mostly such blocks); any other block falls back to a byte loop, so noisy masks cost no more
 * than a plain loop.
 */
function sliceHistogram(bytes: Uint8Array): Uint32Array {
  const hist = new Uint32Array(256)
  const n = bytes.length
  // Unaligned head and the tail are counted byte by byte; the aligned middle block by block.
  const head = Math.min(n, (4 - (bytes.byteOffset & 3)) & 3)
  for (let i = 0; i < head; i++) hist[bytes[i]]++
  const words = (n - head) >>> 2
  const blocks = Math.floor(words / BLOCK_WORDS)
  const view = blocks > 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset + head, blocks * BLOCK_WORDS) : new Uint32Array(0)
  for (let b = 0; b < blocks; b++) {
    const w0 = b * BLOCK_WORDS
    const first = view[w0]
    let j = 1
    while (j < BLOCK_WORDS && view[w0 + j] === first) j++
    if (j === BLOCK_WORDS) {
      hist[first & 0xff] += BLOCK_WORDS
      hist[(first >>> 8) & 0xff] += BLOCK_WORDS
      hist[(first >>> 16) & 0xff] += BLOCK_WORDS
      hist[first >>> 24] += BLOCK_WORDS
    } else {
      const end = head + (w0 + BLOCK_WORDS) * 4
      for (let i = head + w0 * 4; i < end; i++) hist[bytes[i]]++
    }
  }
  for (let i = head + blocks * BLOCK_WORDS * 4; i < n; i++) hist[bytes[i]]++
  return hist
}
