/** Page object of the Gallery view and its import dialog. */
import { expect, type Locator, type Page } from '@playwright/test'

export class GalleryPage {
  readonly root: Locator
  readonly total: Locator
  readonly tiles: Locator
  readonly dialog: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('gallery')
    this.total = page.getByTestId('gallery-total')
    // The virtual grid keeps a pool of recycled cells; unused ones stay in the DOM, hidden.
    this.tiles = page.getByTestId('gallery-tile').filter({ visible: true })
    this.dialog = page.getByTestId('import-dialog')
  }

  async expectOpen(projectName: string): Promise<void> {
    await expect(this.root).toBeVisible()
    await expect(this.page.getByTestId('project-name')).toHaveText(projectName)
  }

  async expectTotal(n: number): Promise<void> {
    await expect(this.total).toHaveText(new RegExp(`^\\s*${n} (of \\d+ )?images\\s*$`))
  }

  /** Status count shown on a filter chip. */
  count(status: 'unlabeled' | 'partial' | 'labeled'): Locator {
    return this.page.getByTestId(`count-${status}`)
  }

  /** Names of the tiles currently rendered (the grid is virtual: only what is on screen). */
  async visibleNames(): Promise<string[]> {
    return this.page
      .getByTestId('gallery-tile')
      .evaluateAll((els) => els.filter((e) => e.checkVisibility({ visibilityProperty: true })).map((e) => e.getAttribute('data-name') ?? ''))
  }

  /** Waits until the rendered tiles are exactly `names` (in any order). */
  async expectNames(names: string[]): Promise<void> {
    await expect.poll(async () => (await this.visibleNames()).sort()).toEqual([...names].sort())
  }

  /** Imports files through the dialog's file input and waits for the report. */
  async importFiles(paths: string[]): Promise<Locator> {
    await this.page.getByTestId('import-open').click()
    await expect(this.dialog).toBeVisible()
    await this.dialog.getByTestId('import-files-input').setInputFiles(paths)
    await expect(this.dialog.getByTestId('import-selection')).toContainText(`${paths.length} file`)
    await this.dialog.getByTestId('import-start').click()
    const report = this.dialog.getByTestId('import-report')
    await expect(report).toBeVisible({ timeout: 60_000 })
    return report
  }

  /** Imports image files plus a masks folder (uploaded with its folder structure) and waits for the report. */
  async importWithMasks(paths: string[], masksDir: string): Promise<Locator> {
    await this.page.getByTestId('import-open').click()
    await this.dialog.getByTestId('import-files-input').setInputFiles(paths)
    await this.dialog.getByTestId('import-masks-input').setInputFiles(masksDir)
    await expect(this.dialog.getByTestId('import-masks-selection')).toContainText('file')
    await this.dialog.getByTestId('import-start').click()
    const report = this.dialog.getByTestId('import-report')
    await expect(report).toBeVisible({ timeout: 60_000 })
    return report
  }

  /** Drops files onto the gallery the way a file manager does (a DataTransfer carrying File objects). */
  async dropFiles(files: Array<{ name: string; bytes: Buffer }>): Promise<void> {
    const payload = files.map((f) => ({ name: f.name, data: f.bytes.toString('base64') }))
    const transfer = await this.page.evaluateHandle((items) => {
      const dt = new DataTransfer()
      for (const it of items) {
        const bin = Uint8Array.from(atob(it.data), (c) => c.charCodeAt(0))
        dt.items.add(new File([bin], it.name, { type: 'image/png' }))
      }
      return dt
    }, payload)
    await this.root.dispatchEvent('dragover', { dataTransfer: transfer })
    await this.root.dispatchEvent('drop', { dataTransfer: transfer })
  }

  async closeImport(): Promise<void> {
    await this.dialog.getByTestId('import-done').click()
    await expect(this.dialog).toBeHidden()
  }

  async closeProject(): Promise<void> {
    await this.page.getByTestId('close-project').click()
    await expect(this.page.getByTestId('home')).toBeVisible()
  }
}
