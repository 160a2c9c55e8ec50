/**
 * Page object of the Train view: presets, Advanced options, the running run, results, the runs list and
 * the pretraining panel.
 */
import { expect, type Locator, type Page } from '@playwright/test'

export class TrainPage {
  readonly root: Locator
  readonly progress: Locator
  readonly results: Locator
  readonly runs: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('train')
    this.progress = page.getByTestId('run-progress')
    this.results = page.getByTestId('run-results')
    this.runs = page.getByTestId('run-row')
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-train').click()
    await expect(this.root).toBeVisible()
  }

  /** Opens the Advanced panel (if closed) and sets options by path, e.g. { epochs: 2, 'model.depth': 3 }. */
  async setOptions(values: Record<string, string | number>): Promise<void> {
    const panel = this.page.getByTestId('train-advanced')
    if (!(await panel.isVisible())) await this.page.getByTestId('train-advanced-toggle').click()
    for (const [path, value] of Object.entries(values)) {
      const field = panel.getByTestId(`opt-${path}`)
      const select = field.locator('select')
      if (await select.count()) await select.selectOption(String(value))
      else {
        const input = field.locator('input')
        await input.fill(String(value))
        await input.blur()
        await expect(input).toHaveValue(String(value))
      }
    }
  }

  /** Clicks Train and returns the id of the run that appears in the progress panel. */
  async start(): Promise<number> {
    await this.page.getByTestId('train-start').click()
    await expect(this.progress).toBeVisible()
    return Number(await this.progress.getAttribute('data-run'))
  }

  /** Opens the pretraining options (if closed) and sets them by key, e.g. { epochs: 2, depth: 3 }. */
  async setPretrainOptions(values: Record<string, number>): Promise<void> {
    const panel = this.page.getByTestId('pretrain-options')
    if (!(await panel.isVisible())) await this.page.getByTestId('pretrain-options-toggle').click()
    for (const [key, value] of Object.entries(values)) {
      const input = panel.getByTestId(`pretrain-opt-${key}`).locator('input')
      await input.fill(String(value))
      await input.blur()
      await expect(input).toHaveValue(String(value))
    }
  }

  /** Clicks Pretrain and returns the id of the pretraining run that shows its progress. */
  async startPretrain(): Promise<number> {
    await this.page.getByTestId('pretrain-start').click()
    const progress = this.page.getByTestId('pretrain-progress')
    await expect(progress).toBeVisible()
    return Number(await progress.getAttribute('data-run'))
  }

  row(runId: number): Locator {
    return this.page.locator(`[data-testid="run-row"][data-run="${runId}"]`)
  }

  async expectStatus(runId: number, status: string, timeout = 20_000): Promise<void> {
    await expect(this.row(runId)).toHaveAttribute('data-status', status, { timeout })
  }

  /** Waits until the canvas `testid` (or the one inside it) has drawn at least `min` non-transparent pixels. */
  async expectCanvasDrawn(testid: string, min = 500): Promise<void> {
    const canvas = this.page.locator(`canvas[data-testid="${testid}"], [data-testid="${testid}"] canvas`).first()
    await expect(canvas).toBeVisible()
    await expect
      .poll(() =>
        canvas.evaluate((c: HTMLCanvasElement) => {
          const data = c.width > 0 && c.height > 0 ? c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data : undefined
          let painted = 0
          if (data) for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++
          return painted
        }),
      )
      .toBeGreaterThan(min)
  }

  /** A contract call through the web host's API with the page's session. */
  async call<T>(method: string, input: unknown): Promise<T> {
    return this.page.evaluate(
      async ([m, body]) => {
        const res = await fetch(`/api/call/${m}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
        const json = (await res.json()) as { ok: boolean; result: unknown }
        if (!json.ok) throw new Error(`${m} failed: ${JSON.stringify(json)}`)
        return json.result
      },
      [method, input] as const,
    ) as Promise<T>
  }
}
