/** Page object of the Labels dialog (export labels, import labels) opened from the gallery toolbar. */
import { expect, type Locator, type Page } from '@playwright/test'

export class LabelsPage {
  readonly dialog: Locator

  constructor(readonly page: Page) {
    this.dialog = page.getByTestId('labels-dialog')
  }

  async open(): Promise<void> {
    await this.page.getByTestId('labels-open').click()
    await expect(this.dialog).toBeVisible()
  }

  /** Exports to a host folder typed into the path field and waits for the result panel. */
  async exportTo(dir: string, format: 'index' | 'color' | 'coco', source: 'human' | 'pseudo' | 'both' = 'both'): Promise<Locator> {
    await this.dialog.getByTestId('labels-tab-export').click()
    await this.dialog.getByTestId(`export-format-${format}`).check()
    await this.dialog.getByTestId('export-source').selectOption(source)
    await this.dialog.getByTestId('export-dir').fill(dir)
    await this.dialog.getByTestId('export-run').click()
    const result = this.dialog.getByTestId('export-result')
    await expect(result).toBeVisible({ timeout: 60_000 })
    return result
  }

  /** Imports labels from a host path and waits for the report. */
  async importFrom(path: string, format: 'png' | 'coco'): Promise<Locator> {
    await this.dialog.getByTestId('labels-tab-import').click()
    await this.dialog.getByTestId('label-import-format').selectOption(format)
    await this.dialog.getByTestId('label-import-path').fill(path)
    await this.dialog.getByTestId('label-import-run').click()
    const report = this.dialog.getByTestId('label-import-report')
    await expect(report).toBeVisible({ timeout: 60_000 })
    return report
  }

  /** Uploads a folder of label PNGs through the folder input (browser mode) and imports it. */
  async importUploadedFolder(dir: string): Promise<Locator> {
    await this.dialog.getByTestId('labels-tab-import').click()
    await this.dialog.getByTestId('label-import-format').selectOption('png')
    await this.dialog.getByTestId('label-import-folder-input').setInputFiles(dir)
    await expect(this.dialog.getByTestId('label-import-path')).not.toHaveValue('', { timeout: 60_000 })
    await this.dialog.getByTestId('label-import-run').click()
    const report = this.dialog.getByTestId('label-import-report')
    await expect(report).toBeVisible({ timeout: 60_000 })
    return report
  }

  async close(): Promise<void> {
    await this.dialog.getByTestId('labels-close').click()
    await expect(this.dialog).toBeHidden()
  }
}
