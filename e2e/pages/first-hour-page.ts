/** Page object for what a new user meets first: the host file picker, Review without a model, Gallery masks and pseudo-labels. */
import { expect, type Locator, type Page } from '@playwright/test'

export class FirstHourPage {
  readonly picker: Locator
  readonly noModel: Locator

  constructor(readonly page: Page) {
    this.picker = page.getByTestId('host-file-picker')
    this.noModel = page.getByTestId('no-model')
  }

  /** Opens the host file picker from Home and picks `fileName` inside the allowed folder `root`. */
  async pickProject(root: string, fileName: string): Promise<void> {
    await this.page.getByTestId('open-browse').click()
    await expect(this.picker).toBeVisible()
    await this.picker.locator(`[data-testid="picker-dir-entry"][data-name="${root}"]`).click()
    await expect(this.picker.getByTestId('picker-dir')).toHaveText(root)
    await this.picker.locator(`[data-testid="picker-file"][data-name="${fileName}"]`).click()
    await expect(this.picker).toBeHidden()
  }

  /** The tooltip of each Review round option, by its test id. */
  async roundTooltips(): Promise<string[]> {
    const labels = this.page.getByTestId('round-launcher').locator('label')
    return labels.evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''))
  }

  async showMasks(): Promise<void> {
    await this.page.getByTestId('toggle-masks').click()
    await expect(this.page.getByTestId('toggle-masks')).toHaveAttribute('aria-pressed', 'true')
  }
}
