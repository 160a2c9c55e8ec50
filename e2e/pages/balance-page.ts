/** Page object of the Balance view: chart with its scale toggle, advice, class table and per-image table. */
import { expect, type Locator, type Page } from '@playwright/test'

export class BalancePage {
  readonly root: Locator
  readonly chart: Locator
  readonly warnings: Locator
  readonly recommendation: Locator
  readonly rows: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('balance')
    this.chart = page.getByTestId('balance-chart-canvas')
    this.warnings = page.getByTestId('balance-warning')
    this.recommendation = page.getByTestId('balance-recommendation')
    this.rows = page.getByTestId('composition-row')
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-balance').click()
    await expect(this.root).toBeVisible()
  }

  /** Waits until the chart's canvas exists and has drawn something (pixels that are not transparent). */
  async expectChartDrawn(): Promise<void> {
    const canvas = this.chart.locator('canvas').first()
    await expect(canvas).toBeVisible()
    await expect
      .poll(() =>
        canvas.evaluate((c: HTMLCanvasElement) => {
          if (c.width === 0 || c.height === 0) return 0
          const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data
          if (!data) return 0
          let painted = 0
          for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++
          return painted
        }),
      )
      .toBeGreaterThan(1000)
  }

  /** The chart's pixels as a string, to tell that a redraw changed it. */
  async chartPixels(): Promise<string> {
    return this.chart.locator('canvas').first().evaluate((c: HTMLCanvasElement) => c.toDataURL())
  }

  async setScale(scale: 'linear' | 'log'): Promise<void> {
    await this.page.getByTestId(`scale-${scale}`).click()
    await expect(this.chart).toHaveAttribute('data-scale', scale)
  }

  /** Names of the per-image rows in table order. */
  async rowNames(): Promise<string[]> {
    return this.rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-name') ?? ''))
  }

  /** The per-image table's cell text of a class column (the share shown), in table order. */
  async classColumn(classIndex: number): Promise<string[]> {
    return this.rows.evaluateAll(
      (els, c) => els.map((e) => (e.querySelectorAll('td')[c + 1]?.textContent ?? '').trim()),
      classIndex,
    )
  }
}
