/**
 * The review queue in browser mode on a fresh copy of the sample project: a tiny model trained through
 * the API, a round run from the Review view, then one pseudo-label accepted (button), one rejected (R
 * key) and one edited (E opens the editor preloaded with the pseudo mask; a stroke is painted and
 * saved). Reopening the project shows all three decisions, and the labels they made, persisted.
 */
import { join } from 'node:path'
import { expect, test } from './fixtures'
import { ReviewPage } from './pages/review-page'
import { TrainPage } from './pages/train-page'

interface Item { id: number; imageId: number; status: string }
interface Revision { source: string; current: boolean }

test('run a round, accept one, reject one, edit one; all three persist across reopening', async ({ page, home, editor, workDir }) => {
  test.setTimeout(480_000)
  const api = new TrainPage(page)
  const path = join(workDir, 'sample.labelloop')
  await api.call('project:openSample', { fresh: true, path })
  await page.reload()
  await expect(page.getByTestId('nav-review')).toBeVisible({ timeout: 60_000 })

  // A tiny model, trained through the API.
  const { runId } = await api.call<{ runId: number }>('train:start', { epochs: 1, tileSize: 64, batchSize: 4, model: { depth: 3, baseFilters: 8 }, patience: 0 })
  await expect.poll(async () => (await api.call<{ status: string }>('runs:get', { id: runId })).status, { timeout: 240_000, intervals: [1000] }).toBe('completed')

  const review = new ReviewPage(page)
  await review.open()
  await page.getByTestId('round-mc').fill('0')
  await review.runRound()
  await expect(page.getByTestId('round-row')).toHaveCount(1)
  const total = await review.tiles.count()
  expect(total).toBeGreaterThanOrEqual(3)
  await review.expectSortedByScore()

  // Accept the first (most useful) with the button: the pseudo mask becomes the image's label.
  await review.tiles.first().click()
  const accepted = await review.shownId()
  await expect(page.locator('[data-testid="pseudo-overlay"][data-drawn="true"]')).toBeVisible()
  await expect(page.locator('[data-testid="confidence-heatmap"][data-drawn="true"]')).toBeVisible()
  await page.getByTestId('review-accept').click()
  await expect(review.tile(accepted)).toHaveAttribute('data-status', 'accepted')

  // The selection moved on: reject it with R.
  await expect.poll(() => review.shownId()).not.toBe(accepted)
  const rejected = await review.shownId()
  await page.keyboard.press('r')
  await expect(review.tile(rejected)).toHaveAttribute('data-status', 'rejected')

  // Edit the next with E: the editor opens with the pseudo mask; a stroke and a save make it a human label.
  await expect.poll(() => review.shownId()).not.toBe(rejected)
  const edited = await review.shownId()
  const editedImage = (await api.call<{ item: Item }>('review:get', { id: edited })).item.imageId
  await page.keyboard.press('e')
  await expect(editor.stage).toHaveAttribute('data-ready', 'true', { timeout: 30_000 })
  expect(await editor.imageId()).toBe(editedImage)
  await editor.selectClass(1)
  await editor.stroke([[0.3, 0.3], [0.7, 0.5]])
  await page.keyboard.press('Control+s')
  await editor.expectSaveStatus('saved')
  await expect.poll(async () => (await api.call<{ item: Item }>('review:get', { id: edited })).item.status).toBe('edited')

  // Reopen the project: the three decisions and their labels are still there.
  await home.closeAnyProject()
  await home.openByPath(path)
  await expect(page.getByTestId('nav-review')).toBeVisible({ timeout: 30_000 })
  await review.open()
  await expect(review.tile(accepted)).toHaveAttribute('data-status', 'accepted')
  await expect(review.tile(rejected)).toHaveAttribute('data-status', 'rejected')
  await expect(review.tile(edited)).toHaveAttribute('data-status', 'edited')
  await expect(page.getByTestId('round-accepted')).toHaveText('1')
  await expect(page.getByTestId('round-rejected')).toHaveText('1')
  await expect(page.getByTestId('round-edited')).toHaveText('1')
  await review.filterStatus('edited')
  await expect(review.tiles).toHaveCount(1)

  const current = async (id: number): Promise<Revision | undefined> => {
    const { item } = await api.call<{ item: Item }>('review:get', { id })
    return (await api.call<Revision[]>('masks:revisions', { imageId: item.imageId })).find((r) => r.current)
  }
  expect(await current(accepted)).toMatchObject({ source: 'pseudo-accepted' })
  expect(await current(rejected)).toBeUndefined()
  expect(await current(edited)).toMatchObject({ source: 'human' })
})
