/** Page object of the Home view: new project, open by path, recent projects, sample project. */
import { expect, type Locator, type Page } from '@playwright/test'

export class HomePage {
  readonly root: Locator
  readonly error: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('home')
    this.error = page.getByTestId('error')
  }

  /**
   * Opens the app through the host URL (which carries the access token) and waits for Home. The host is
   * shared by every spec, so a project an earlier spec left open is closed first.
   */
  async open(url: string): Promise<void> {
    await this.page.goto(url)
    await expect(this.page.getByTestId('topbar')).toBeVisible()
    await this.closeAnyProject()
    await expect(this.root).toBeVisible()
  }

  /** Closes the open project, if any, through the top bar. */
  async closeAnyProject(): Promise<void> {
    const close = this.page.getByTestId('close-project')
    if (await close.isVisible()) {
      await close.click()
      await expect(close).toBeHidden()
    }
  }

  async goHome(): Promise<void> {
    await this.page.getByTestId('nav-home').click()
    await expect(this.root).toBeVisible()
  }

  /** Fills and submits the New project form; `classes` replaces the default class list. */
  async createProject(name: string, path: string, classes: Array<{ name: string; color?: string }>): Promise<void> {
    const form = this.page.getByTestId('new-project')
    await form.getByTestId('new-name').fill(name)
    await form.getByTestId('new-path').fill(path)
    const rows = form.getByTestId('class-row')
    while ((await rows.count()) < classes.length) await form.getByTestId('class-add').click()
    while ((await rows.count()) > classes.length) await rows.last().getByTestId('class-remove').click()
    for (const [i, c] of classes.entries()) {
      await rows.nth(i).getByTestId('class-name').fill(c.name)
      if (c.color) await rows.nth(i).getByTestId('class-color').fill(c.color)
    }
    await form.getByTestId('new-submit').click()
  }

  async openByPath(path: string): Promise<void> {
    await this.page.getByTestId('open-path').fill(path)
    await this.page.getByTestId('open-submit').click()
  }

  recentItem(name: string): Locator {
    return this.page.getByTestId('recent-item').filter({ hasText: name })
  }

  async openSample(): Promise<void> {
    await this.page.getByTestId('open-sample').click()
  }
}
