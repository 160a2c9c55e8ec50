/**
 * Import failures in the user's terms: what the file actually is (from its first bytes) and what
 * LabelLoop reads, instead of a decoding library's message passed through. Reasons keep the form
 * "name: problem" that the CLI and the import report shorten next to the file they name.
 */
import { extname } from 'node:path'
import { AppError } from '../../core/contract'

/** What LabelLoop imports, said once. */
export const READS = 'LabelLoop reads PNG, JPEG, WebP and TIFF images (8- or 16-bit, 1 to 4 channels, multiband GeoTIFF)'

const startsWith = (bytes: Uint8Array, sig: readonly number[], at = 0): boolean => sig.every((b, i) => bytes[at + i] === b)
const ascii = (bytes: Uint8Array, from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to))

/** The formats LabelLoop reads, by signature. */
function readableKind(b: Uint8Array): string | null {
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47])) return 'a PNG image'
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'a JPEG image'
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a]) || startsWith(b, [0x49, 0x49, 0x2b, 0x00])) return 'a TIFF image'
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'a WebP image'
  return null
}

/** What a file LabelLoop does not read is, from its first bytes; null when unrecognised. */
export function otherKind(b: Uint8Array): string | null {
  if (ascii(b, 0, 4) === 'GIF8') return 'a GIF image'
  if (ascii(b, 0, 2) === 'BM') return 'a BMP image'
  if (ascii(b, 4, 8) === 'ftyp') return /heic|heix|mif1|hevc/.test(ascii(b, 8, 12)) ? 'a HEIC/HEIF photo' : /avif/.test(ascii(b, 8, 12)) ? 'an AVIF image' : 'an MP4/QuickTime video or HEIF photo'
  if (ascii(b, 0, 5) === '%PDF-') return 'a PDF document'
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) return 'a ZIP archive (or a document packed as one)'
  if (startsWith(b, [0x1f, 0x8b])) return 'a gzip archive'
  if (startsWith(b, [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50])) return 'a JPEG 2000 image'
  if (ascii(b, 0, 4) === '8BPS') return 'a Photoshop document'
  const head = ascii(b, 0, Math.min(b.length, 256)).trimStart().toLowerCase()
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'an SVG drawing'
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return 'an HTML page (a download that saved a web page?)'
  if (b.length > 0 && [...b.subarray(0, 512)].every((c) => c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 128)) return 'a text file'
  return null
}

/** "name: problem" for a file skipped by its name alone (no image extension LabelLoop reads). */
export function unsupportedNameReason(name: string): string {
  const ext = extname(name)
  return `${name}: ${ext ? `"${ext}" is not an image type LabelLoop imports` : 'the name has no image extension'}; ${READS} (.png, .jpg, .jpeg, .webp, .tif, .tiff)`
}

/**
 * "name: problem" for a file that could not be decoded: what the file is and what LabelLoop reads when it
 * is another kind of file; that its data is damaged when it looks like a readable format; LabelLoop's own
 * message for anything else (an unsupported pixel type, too many bands).
 */
export function decodeFailureReason(name: string, bytes: Uint8Array, err: unknown): { code: string; reason: string } {
  const code = err instanceof AppError ? err.code : 'DECODE_FAILED'
  const own = (err instanceof Error ? err.message : String(err)).replace(`${name}: `, '')
  if (code !== 'DECODE_FAILED') return { code, reason: `${name}: ${own}` }
  if (bytes.length === 0) return { code, reason: `${name}: the file is empty (0 bytes)` }
  const readable = readableKind(bytes)
  // LabelLoop's own wording before a parenthesised library message ("not a readable image (…)").
  const library = /\(([^()]*)\)$/.exec(own)
  if (readable && /not a readable|corrupt or truncated/.test(own)) {
    return { code, reason: `${name}: starts like ${readable}, but its data is damaged or cut short, so it cannot be decoded; re-export or re-download it` }
  }
  if (!readable && (library || /not a readable|unsupported image format/.test(own))) {
    const kind = otherKind(bytes)
    return { code, reason: `${name}: ${kind ? `this is ${kind}, not an image LabelLoop reads` : 'not an image format LabelLoop recognises'}; ${READS}` }
  }
  return { code, reason: `${name}: ${own}` }
}
