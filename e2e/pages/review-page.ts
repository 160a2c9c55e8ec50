/** Page object of the Review view: run a round, the queue grid, the detail's decisions, the rounds history. */
import { expect, type Locator, type Page } from '@playwright/test'

export class ReviewPage {
  readonly root: Locator
  readonly tiles: Locator
  readonly detail: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('review-view')
    this.tiles = page.getByTestId('review-tile')
    this.detail = page.getByTestId('review-detail')
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-review').click()
    await expect(this.root).toBeVisible()
  }

  /** Runs a round with the launcher's options and waits until its pseudo-labels are listed. */
  async runRound(timeout = 240_000): Promise<void> {
    await this.page.getByTestId('round-start').click()
    await expect(this.page.getByTestId('round-start')).toBeEnabled({ timeout })
    await expect(this.tiles.first()).toBeVisible()
  }

  tile(id: number): Locator {
    return this.page.locator(`[data-testid="review-tile"][data-id="${id}"]`)
  }

  /** The id of the pseudo-label shown in the detail panel. */
  async shownId(): Promise<number> {
    await expect(this.detail).toBeVisible()
    return Number(await this.detail.getAttribute('data-id'))
  }

  /** The grid lists the pseudo-labels by review score, highest first. */
  async expectSortedByScore(): Promise<void> {
    const scores = (await this.tiles.locator('.score').allTextContents()).map(Number)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
  }

  async filterStatus(status: string): Promise<void> {
    await this.page.getByTestId('filter-status').selectOption(status)
  }
}
