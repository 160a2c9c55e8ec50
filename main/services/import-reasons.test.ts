import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { decodeImage } from '../../core/imaging'
import { decodeFailureReason, READS, unsupportedNameReason } from './import-reasons'

/** The reason import gives for `bytes` named `name`, from the real decoder's error. */
async function reasonFor(name: string, bytes: Buffer): Promise<string> {
  const err = await decodeImage(bytes, name).then(() => null, (e: unknown) => e)
  expect(err).not.toBeNull()
  return decodeFailureReason(name, bytes, err).reason
}

describe('import failure reasons', () => {
  it('say what the file is and what LabelLoop reads instead of passing the library message through', async () => {
    const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#f00' } }).gif().toBuffer()
    const reason = await reasonFor('photo.png', gif)
    expect(reason).toBe(`photo.png: this is a GIF image, not an image LabelLoop reads; ${READS}`)
    expect(reason).not.toMatch(/Input buffer|unsupported image format/)
    expect(await reasonFor('scan.tif', Buffer.from('%PDF-1.7\n%…'))).toBe(`scan.tif: this is a PDF document, not an image LabelLoop reads; ${READS}`)
    expect(await reasonFor('tile.png', Buffer.from('<!DOCTYPE html><html><body>Not found</body></html>'))).toMatch(/^tile\.png: this is an HTML page/)
    expect(await reasonFor('x.webp', Buffer.from([0x00, 0x01, 0x02, 0x03, 0xfe, 0x00, 0x9a]))).toBe(`x.webp: not an image format LabelLoop recognises; ${READS}`)
  })

  it('say a file that starts like a readable format is damaged, and keep LabelLoop\'s own messages', async () => {
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#0f0' } }).png().toBuffer()
    expect(await reasonFor('cut.png', png.subarray(0, Math.floor(png.length / 2)))).toBe(
      'cut.png: starts like a PNG image, but its data is damaged or cut short, so it cannot be decoded; re-export or re-download it',
    )
    expect(await reasonFor('empty.png', Buffer.alloc(0))).toBe('empty.png: the file is empty (0 bytes)')
  })

  it('name the extension of a file skipped by its name', () => {
    expect(unsupportedNameReason('notes.md')).toBe(`notes.md: ".md" is not an image type LabelLoop imports; ${READS} (.png, .jpg, .jpeg, .webp, .tif, .tiff)`)
  })
})
