/**
 * Pixels of the review view's maps: the pseudo mask in class colours over the image (255 transparent)
 * and the confidence map as a red → yellow → green heatmap. Pure, so the colours are tested without a
 * canvas; the components put the arrays into ImageData.
 */

/** [r, g, b] of '#rrggbb'. */
export function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

/** RGBA of a class-index mask: class colours at `alpha`, unlabeled (or unknown) pixels transparent. */
export function maskToRgba(mask: Uint8Array, colors: readonly string[], alpha = 150): Uint8ClampedArray {
  const rgb = colors.map(hexToRgb)
  const out = new Uint8ClampedArray(mask.length * 4)
  for (let p = 0; p < mask.length; p++) {
    const c = rgb[mask[p]]
    if (!c) continue
    out[p * 4] = c[0]
    out[p * 4 + 1] = c[1]
    out[p * 4 + 2] = c[2]
    out[p * 4 + 3] = alpha
  }
  return out
}

const STOPS: readonly [number, number, number][] = [
  [214, 48, 49],
  [240, 196, 64],
  [52, 178, 110],
]

/** The heatmap colour of a confidence level 0..255 (low red, middle yellow, high green). */
export function heatColor(level: number): [number, number, number] {
  const t = Math.min(1, Math.max(0, level / 255)) * (STOPS.length - 1)
  const i = Math.min(STOPS.length - 2, Math.floor(t))
  const f = t - i
  const a = STOPS[i]
  const b = STOPS[i + 1]
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)]
}

/** RGBA of 8-bit confidence levels as an opaque heatmap. */
export function confidenceToRgba(levels: Uint8Array): Uint8ClampedArray {
  const lut = Array.from({ length: 256 }, (_, l) => heatColor(l))
  const out = new Uint8ClampedArray(levels.length * 4)
  for (let p = 0; p < levels.length; p++) {
    const c = lut[levels[p]]
    out[p * 4] = c[0]
    out[p * 4 + 1] = c[1]
    out[p * 4 + 2] = c[2]
    out[p * 4 + 3] = 255
  }
  return out
}

/** A 0..1 value as a percentage with one decimal. */
export function pct(x: number | null): string {
  return x === null ? '—' : `${(x * 100).toFixed(1)} %`
}

/** A class-share change in percentage points, signed. */
export function shiftText(before: number, after: number): string {
  const pp = (after - before) * 100
  if (Math.abs(pp) < 0.05) return '±0'
  return `${pp > 0 ? '+' : '−'}${Math.abs(pp).toFixed(1)} pp`
}
