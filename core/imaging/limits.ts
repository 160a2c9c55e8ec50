/**
 * The memory budget of decoding: the most pixels any decoder in core/imaging holds at once. It is
 * libvips' own default (16383², about 268 million pixels), so a file is refused at the same size whether
 * sharp, geotiff.js or fast-png reads it, before its pixels are allocated. A header that declares more
 * (an image bomb, a damaged size field) gets DECODE_FAILED saying so instead of exhausting memory.
 */
import { AppError } from '../contract'

export const MAX_DECODE_PIXELS = 0x3fff * 0x3fff

/** Throws DECODE_FAILED naming `fileName` when `width`×`height` is empty or over {@link MAX_DECODE_PIXELS}. */
export function assertPixelBudget(width: number, height: number, fileName: string): void {
  if (!(width >= 1 && height >= 1)) throw new AppError('DECODE_FAILED', `${fileName}: the header declares an empty image (${width}×${height})`, fileName)
  if (width * height > MAX_DECODE_PIXELS) {
    throw new AppError(
      'DECODE_FAILED',
      `${fileName}: the header declares ${width}×${height} pixels, more than LabelLoop decodes in memory (${MAX_DECODE_PIXELS.toLocaleString('en-US')} pixels); split it into tiles`,
      fileName,
    )
  }
}
