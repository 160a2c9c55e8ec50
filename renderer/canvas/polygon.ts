/**
 * Scanline rasterisation of a closed polygon, shared by the polygon and lasso tools. A pixel is inside
 * when its centre is inside the polygon under the chosen fill rule, the same test a canvas `fill()`
 * makes, so what the preview shows is what gets painted.
 */
import { BBox, type Rect, type SpanSink } from './rect'

/** 'nonzero': inside when the winding number is not 0 (loops of a self-crossing lasso are filled). 'evenodd': inside when an odd number of edges is crossed. */
export type FillRule = 'nonzero' | 'evenodd'

interface Edge {
  yTop: number
  yBottom: number
  xTop: number
  dxdy: number
  dir: number
}

/**
 * Emits the runs of pixels inside the polygon given as flat coordinates `[x0, y0, x1, y1, ...]`
 * (the last point joins the first), clipped to a width × height image. Cost is proportional to the
 * rows of the polygon's bounding box times the edges crossing each row. Returns the bounding box of
 * the emitted pixels, or null when none is inside.
 */
export function rasterizePolygon(
  points: ArrayLike<number>,
  width: number,
  height: number,
  rule: FillRule,
  sink: SpanSink,
): Rect | null {
  const n = Math.floor(points.length / 2)
  if (n < 3) return null
  const edges: Edge[] = []
  let minY = Infinity
  let maxY = -Infinity
  for (let i = 0; i < n; i++) {
    const x0 = points[2 * i]
    const y0 = points[2 * i + 1]
    const j = (i + 1) % n
    const x1 = points[2 * j]
    const y1 = points[2 * j + 1]
    if (y0 === y1) continue
    const down = y1 > y0
    const dxdy = (x1 - x0) / (y1 - y0)
    edges.push({
      yTop: down ? y0 : y1,
      yBottom: down ? y1 : y0,
      xTop: down ? x0 : x1,
      dxdy,
      dir: down ? 1 : -1,
    })
    minY = Math.min(minY, y0, y1)
    maxY = Math.max(maxY, y0, y1)
  }
  if (edges.length === 0) return null
  edges.sort((a, b) => a.yTop - b.yTop)
  const box = new BBox()
  const rowStart = Math.max(0, Math.floor(minY - 0.5))
  const rowEnd = Math.min(height - 1, Math.ceil(maxY - 0.5))
  let active: Edge[] = []
  let next = 0
  const xs: number[] = []
  const crossings: { x: number; dir: number }[] = []
  for (let y = rowStart; y <= rowEnd; y++) {
    const yc = y + 0.5
    // An edge counts on a row when yTop <= yc < yBottom, so a shared vertex is counted once.
    while (next < edges.length && edges[next].yTop <= yc) active.push(edges[next++])
    active = active.filter((e) => e.yBottom > yc)
    if (active.length < 2) continue
    crossings.length = 0
    for (const e of active) crossings.push({ x: e.xTop + (yc - e.yTop) * e.dxdy, dir: e.dir })
    crossings.sort((a, b) => a.x - b.x)
    xs.length = 0
    let winding = 0
    for (let k = 0; k < crossings.length; k++) {
      const insideBefore = rule === 'nonzero' ? winding !== 0 : (k & 1) === 1
      winding += crossings[k].dir
      const insideAfter = rule === 'nonzero' ? winding !== 0 : (k & 1) === 0
      if (insideBefore !== insideAfter) xs.push(crossings[k].x)
    }
    for (let k = 0; k + 1 < xs.length; k += 2) emitSpan(y, xs[k], xs[k + 1], width, sink, box)
  }
  return box.rect()
}

/** Emits the pixels whose centres lie in [xa, xb), clipped to the image. */
function emitSpan(y: number, xa: number, xb: number, width: number, sink: SpanSink, box: BBox): void {
  const x0 = Math.max(0, Math.ceil(xa - 0.5))
  const x1 = Math.min(width - 1, Math.ceil(xb - 0.5) - 1)
  if (x0 > x1) return
  sink(y, x0, x1)
  box.addSpan(y, x0, x1)
}
