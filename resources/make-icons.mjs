#!/usr/bin/env node
/**
 * Renders the app icon from resources/icon.svg with sharp: icon.png (512×512, Linux and the window),
 * icon.ico (16–256 px PNG entries, Windows) and icon.icns (128–1024 px PNG entries, macOS). The ICO and
 * ICNS containers are written here directly: both are a small index followed by PNG images.
 * Run `node resources/make-icons.mjs` after changing the SVG and commit the outputs.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'

const here = dirname(fileURLToPath(import.meta.url))
const svg = await readFile(join(here, 'icon.svg'))

/** The SVG as a size×size PNG (rendered at the density that gives that size, not scaled from 512). */
function png(size) {
  return sharp(svg, { density: (72 * size) / 512 }).resize(size, size).png({ compressionLevel: 9 }).toBuffer()
}

/** ICO: 6-byte header, 16-byte entry per image (0 means 256 px), then the PNGs; little-endian. */
function ico(images) {
  const header = Buffer.alloc(6 + 16 * images.length)
  header.writeUInt16LE(0, 0)
  header.writeUInt16LE(1, 2)
  header.writeUInt16LE(images.length, 4)
  let offset = header.length
  images.forEach(({ size, data }, i) => {
    const e = 6 + 16 * i
    header.writeUInt8(size >= 256 ? 0 : size, e)
    header.writeUInt8(size >= 256 ? 0 : size, e + 1)
    header.writeUInt16LE(1, e + 4)
    header.writeUInt16LE(32, e + 6)
    header.writeUInt32LE(data.length, e + 8)
    header.writeUInt32LE(offset, e + 12)
    offset += data.length
  })
  return Buffer.concat([header, ...images.map((i) => i.data)])
}

/** ICNS: 'icns' + total length, then per image a 4-letter type + length (with its 8-byte head) + PNG; big-endian. */
function icns(images) {
  const chunks = images.map(({ type, data }) => {
    const head = Buffer.alloc(8)
    head.write(type, 0, 'ascii')
    head.writeUInt32BE(data.length + 8, 4)
    return Buffer.concat([head, data])
  })
  const head = Buffer.alloc(8)
  head.write('icns', 0, 'ascii')
  head.writeUInt32BE(8 + chunks.reduce((n, c) => n + c.length, 0), 4)
  return Buffer.concat([head, ...chunks])
}

const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024]
const pngs = new Map()
for (const size of sizes) pngs.set(size, await png(size))

await writeFile(join(here, 'icon.png'), pngs.get(512))
await writeFile(join(here, 'icon.ico'), ico([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, data: pngs.get(size) }))))
await writeFile(
  join(here, 'icon.icns'),
  icns([
    { type: 'ic07', data: pngs.get(128) },
    { type: 'ic08', data: pngs.get(256) },
    { type: 'ic09', data: pngs.get(512) },
    { type: 'ic10', data: pngs.get(1024) },
  ]),
)
console.log('wrote resources/icon.png, icon.ico, icon.icns')
