/**
 * Colour renderings of masks for people (reports, GIS overlays, slides): each class in the project's
 * colour, unlabeled pixels transparent, and a legend listing the classes. Masks for machines are the
 * index PNGs; these are never read back as labels.
 */
import { encode } from 'fast-png'
import { UNLABELED, type ClassDef } from '../contract'

function rgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

/**
 * RGBA pixels of a mask: class colour, opaque; unlabeled (255) and indices the project has no class
 * for are fully transparent.
 */
export function colorizeMask(data: Uint8Array, classes: readonly ClassDef[]): Uint8Array {
  const lut = new Uint8Array(256 * 4)
  for (const c of classes) {
    const [r, g, b] = rgb(c.color)
    lut.set([r, g, b, 255], c.index * 4)
  }
  lut.set([0, 0, 0, 0], UNLABELED * 4)
  const out = new Uint8Array(data.length * 4)
  for (let i = 0; i < data.length; i++) {
    const o = data[i] * 4
    out[i * 4] = lut[o]
    out[i * 4 + 1] = lut[o + 1]
    out[i * 4 + 2] = lut[o + 2]
    out[i * 4 + 3] = lut[o + 3]
  }
  return out
}

/** An RGBA PNG of the mask in class colours (see {@link colorizeMask}). */
export function encodeColorMaskPng(data: Uint8Array, width: number, height: number, classes: readonly ClassDef[]): Buffer {
  const png = encode({ width, height, data: colorizeMask(data, classes), channels: 4, depth: 8 })
  return Buffer.from(png.buffer, png.byteOffset, png.byteLength)
}

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

/** Layout of the legend, exported so tests (and anyone sampling the image) know where each swatch is. */
export const LEGEND = { rowHeight: 28, padding: 12, swatch: 18, fontSize: 14 } as const

/**
 * The legend as SVG: one row per class (swatch in its colour, index, name) and a last row for unlabeled
 * (a hollow swatch, as it is transparent in the colour masks). Row r's swatch spans x ∈ [padding,
 * padding + swatch), y ∈ [padding + r·rowHeight + 5, … + swatch). Rasterise it with any SVG renderer.
 */
export function legendSvg(classes: readonly ClassDef[], title: string): string {
  const { rowHeight, padding, swatch, fontSize } = LEGEND
  const rows = [...classes].sort((a, b) => a.index - b.index)
  const longest = Math.max(title.length, ...rows.map((c) => c.name.length + 6), 16)
  const width = Math.ceil(padding * 3 + swatch + longest * fontSize * 0.62)
  const height = padding * 2 + (rows.length + 2) * rowHeight
  const text = (x: number, y: number, s: string, weight = 'normal'): string =>
    `<text x="${x}" y="${y}" font-family="DejaVu Sans, Arial, Helvetica, sans-serif" font-size="${fontSize}" font-weight="${weight}" fill="#222">${escapeXml(s)}</text>`
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ]
  const rowY = (r: number): number => padding + r * rowHeight
  rows.forEach((c, r) => {
    const y = rowY(r)
    parts.push(`<rect x="${padding}" y="${y + 5}" width="${swatch}" height="${swatch}" fill="${c.color}"/>`)
    parts.push(text(padding * 2 + swatch, y + 19, `${c.index}  ${c.name}`))
  })
  const y = rowY(rows.length)
  parts.push(`<rect x="${padding + 0.5}" y="${y + 5.5}" width="${swatch - 1}" height="${swatch - 1}" fill="none" stroke="#888"/>`)
  parts.push(text(padding * 2 + swatch, y + 19, `${UNLABELED}  unlabeled (transparent)`))
  parts.push(text(padding, rowY(rows.length + 1) + 19, title, 'bold'))
  parts.push('</svg>')
  return parts.join('\n')
}
