/** Number formatting shared by the Balance view's chart and tables. */

/** A 0..1 share as a percentage with precision that keeps small shares readable: "45%", "2.5%", "0.41%". */
export function percent(share: number): string {
  const pct = share * 100
  if (pct === 0) return '0%'
  if (pct >= 10) return `${Math.round(pct)}%`
  if (pct >= 1) return `${trimZero(pct.toFixed(1))}%`
  return `${Number(pct.toPrecision(2))}%`
}

/** A pixel count with thousands separators and k/M suffixes above 100,000: "9,870", "457k", "3.1M". */
export function pixels(n: number): string {
  if (n >= 1e7) return `${Math.round(n / 1e6)}M`
  if (n >= 1e6) return `${trimZero((n / 1e6).toFixed(1))}M`
  if (n >= 1e5) return `${Math.round(n / 1e3)}k`
  return Math.round(n).toLocaleString('en-US')
}

/** A class weight: three significant digits, "—" for a class without pixels (weight 0). */
export function weight(w: number): string {
  if (w === 0) return '—'
  if (w >= 100) return Math.round(w).toString()
  return Number(w.toPrecision(3)).toString()
}

function trimZero(s: string): string {
  return s.endsWith('.0') ? s.slice(0, -2) : s
}
