/** Page object of the mask editor: tools, classes, strokes with the mouse, counts, save state, navigation. */
import { expect, type Locator, type Page } from '@playwright/test'

/** Per-class pixel counts as the palette shows them, plus unlabeled. */
export interface ShownCounts {
  counts: number[]
  unlabeled: number
}

export class EditorPage {
  readonly root: Locator
  readonly stage: Locator
  readonly saveStatus: Locator
  readonly imageName: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('editor-view')
    this.stage = page.getByTestId('editor-stage')
    this.saveStatus = page.getByTestId('save-status')
    this.imageName = page.getByTestId('image-name')
  }

  /** Waits until image `name` is loaded into the editor. */
  async expectImage(name: string): Promise<void> {
    await expect(this.imageName).toHaveText(name)
    await expect(this.stage).toHaveAttribute('data-ready', 'true')
  }

  /** The id of the image in the editor. */
  async imageId(): Promise<number> {
    return Number(await this.imageName.getAttribute('data-id'))
  }

  async tool(mode: 'brush' | 'eraser' | 'polygon' | 'lasso' | 'fill' | 'picker' | 'pan'): Promise<void> {
    await this.page.getByTestId(`tool-${mode}`).click()
    await expect(this.page.getByTestId(`tool-${mode}`)).toHaveAttribute('aria-pressed', 'true')
  }

  async selectClass(index: number): Promise<void> {
    await this.page.getByTestId(`class-${index}`).click()
    await expect(this.page.getByTestId(`class-${index}`)).toHaveAttribute('aria-pressed', 'true')
  }

  async brushSize(size: number): Promise<void> {
    await this.page.getByTestId('brush-size').fill(String(size))
  }

  /** Drags the mouse through points given as fractions (0..1) of the stage's width and height. */
  async stroke(points: Array<[number, number]>): Promise<void> {
    const box = await this.stage.boundingBox()
    if (!box) throw new Error('editor-page: the stage is not visible')
    const at = ([fx, fy]: [number, number]): [number, number] => [box.x + fx * box.width, box.y + fy * box.height]
    const [x0, y0] = at(points[0])
    await this.page.mouse.move(x0, y0)
    await this.page.mouse.down()
    for (const p of points.slice(1)) {
      const [x, y] = at(p)
      await this.page.mouse.move(x, y, { steps: 12 })
    }
    await this.page.mouse.up()
  }

  /** The counts the palette shows (read once the frame after the last edit has updated them). */
  async shownCounts(classCount: number): Promise<ShownCounts> {
    const counts: number[] = []
    for (let i = 0; i < classCount; i++) counts.push(Number(await this.page.getByTestId(`class-count-${i}`).getAttribute('data-count')))
    return { counts, unlabeled: Number(await this.page.getByTestId('unlabeled-count').getAttribute('data-count')) }
  }

  /** Waits for the palette to show `expected`. */
  async expectCounts(expected: ShownCounts): Promise<void> {
    await expect.poll(() => this.shownCounts(expected.counts.length)).toEqual(expected)
  }

  async undo(): Promise<void> {
    await this.page.getByTestId('undo').click()
  }

  async redo(): Promise<void> {
    await this.page.getByTestId('redo').click()
  }

  async expectSaveStatus(kind: 'saved' | 'dirty' | 'saving' | 'error'): Promise<void> {
    await expect(this.saveStatus).toHaveAttribute('data-status', kind)
  }

  async next(): Promise<void> {
    await this.page.getByTestId('next-image').click()
  }

  /** The tiled layer's state as the stage shows it (data-tiled, data-tile-level, data-tiles-*); null fields when not tiled. */
  async tiles(): Promise<{ tiled: boolean; level: number; visible: number; drawn: number; requested: number }> {
    return this.stage.evaluate((el: HTMLElement) => ({
      tiled: el.dataset.tiled === 'true',
      level: Number(el.dataset.tileLevel ?? -1),
      visible: Number(el.dataset.tilesVisible ?? 0),
      drawn: Number(el.dataset.tilesDrawn ?? 0),
      requested: Number(el.dataset.tilesRequested ?? 0),
    }))
  }

  /** Waits until the tiled layer draws every visible tile of `level`. */
  async expectTilesDrawn(level: number, timeout = 60_000): Promise<void> {
    await expect
      .poll(async () => {
        const t = await this.tiles()
        return t.tiled && t.level === level && t.visible > 0 && t.drawn === t.visible
      }, { timeout })
      .toBe(true)
  }

  /** RGBA of the image layer (the stage's first canvas, under the mask overlay) at stage point (sx, sy) in CSS pixels. */
  async imagePixel(sx: number, sy: number): Promise<number[]> {
    return this.stage.evaluate(
      (el: HTMLElement, [x, y]) => {
        const canvas = el.querySelector('canvas')
        const ctx = canvas?.getContext('2d')
        if (!canvas || !ctx) throw new Error('editor-page: the stage has no image canvas')
        const ratio = canvas.width / canvas.clientWidth
        return [...ctx.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data]
      },
      [sx, sy] as const,
    )
  }

  /** images:get through the web host's API, as the page's session (cookie) can call it. */
  async storedImage(id: number): Promise<{ classPixels: number[]; labeledFraction: number; width: number; height: number }> {
    return this.page.evaluate(async (imageId) => {
      const res = await fetch('/api/call/images:get', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: imageId }) })
      const body = (await res.json()) as { ok: boolean; result: { classPixels: number[]; labeledFraction: number; width: number; height: number } }
      if (!body.ok) throw new Error(`images:get ${imageId} failed: ${JSON.stringify(body)}`)
      return body.result
    }, id)
  }
}
