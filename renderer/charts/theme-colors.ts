/** The theme's CSS variables that charts draw with, read once from the document (ECharts draws on canvas). */
export interface ChartColors {
  text: string
  muted: string
  border: string
  background: string
  accent: string
  warn: string
}

/** Reads the chart colours from the root element's CSS variables, with the dark theme's values as fallback. */
export function themeColors(): ChartColors {
  const css = getComputedStyle(document.documentElement)
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback
  return {
    text: v('--text', '#e6e8ec'),
    muted: v('--text-muted', '#9aa1ad'),
    border: v('--border', '#2c313b'),
    background: v('--bg-raised', '#1c1f26'),
    accent: v('--accent', '#4f8cff'),
    warn: v('--warn', '#e0a93b'),
  }
}
