import { describe, expect, it } from 'vitest'
import { centred, fitView, MAX_SCALE, screenToImage, wheelZoomFactor, zoomAt } from './viewport'

describe('viewport', () => {
  it('fits a large image into the viewport, centred', () => {
    const v = fitView(4096, 2048, 1000, 800, 0)
    expect(v.scale).toBeCloseTo(1000 / 4096, 10)
    expect(v.x).toBe(0)
    expect(v.y).toBe(Math.round((800 - 2048 * v.scale) / 2))
  })

  it('shows the image at 1:1 centred', () => {
    expect(centred(100, 50, 300, 200, 1)).toEqual({ scale: 1, x: 100, y: 75 })
  })

  it('zooms towards the cursor: the image point under it stays put', () => {
    const v = { scale: 0.5, x: 30, y: -20 }
    const before = screenToImage(v, 400, 300)
    const z = zoomAt(v, 3, 400, 300)
    expect(z.scale).toBe(1.5)
    const after = screenToImage(z, 400, 300)
    expect(after.x).toBeCloseTo(before.x, 9)
    expect(after.y).toBeCloseTo(before.y, 9)
    expect(zoomAt(z, 1000, 0, 0).scale).toBe(MAX_SCALE)
  })

  it('turns wheel deltas into symmetric zoom factors', () => {
    expect(wheelZoomFactor(-100, 0)).toBeCloseTo(1.2, 9)
    expect(wheelZoomFactor(100, 0) * wheelZoomFactor(-100, 0)).toBeCloseTo(1, 9)
    expect(wheelZoomFactor(-3, 1)).toBeCloseTo(Math.pow(1.2, 0.99), 9)
  })
})
