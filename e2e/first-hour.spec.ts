/**
 * The first hour of a new user in browser mode (issue 20): the app icon is served, a project on the
 * server is opened with the file picker, the Gallery shows masks on demand and filters accepted
 * pseudo-labels, and Review without a model says why and leads to training instead of failing silently.
 */
import { realpathSync } from 'node:fs'
import { expect, test } from './fixtures'
import { FirstHourPage } from './pages/first-hour-page'
import { ReviewPage } from './pages/review-page'
import { TrainPage } from './pages/train-page'

test('favicon, file picker, gallery masks and pseudo filter, Review without a model', async ({ page, home, gallery, hostUrl }) => {
  const api = new TrainPage(page)
  const first = new FirstHourPage(page)
  expect((await page.request.get(new URL('/favicon.ico', hostUrl).href)).headers()['content-type']).toBe('image/x-icon')

  // A project in the server's app data folder, opened through the picker rather than a typed path.
  const root = realpathSync(process.env.LABELLOOP_E2E_HOME ?? '')
  await api.call('project:openSample', { fresh: true, path: `${root}/first-hour.labelloop` })
  await api.call('project:close', {})
  await page.reload()
  await first.pickProject(root, 'first-hour.labelloop')
  await gallery.expectOpen('Aerial sample')

  // Masks on demand over the labeled thumbnails; no accepted pseudo-labels yet.
  await first.showMasks()
  await expect(page.locator('[data-testid="thumb-mask"][data-drawn="true"]').first()).toBeVisible()
  await page.getByTestId('filter-pseudo').click()
  await gallery.expectTotal(0)
  await page.getByTestId('filter-pseudo').click()

  // Review without an active model: disabled Run round with the reason, and the way to Train.
  const review = new ReviewPage(page)
  await review.open()
  await expect(first.noModel).toBeVisible()
  await expect(page.getByTestId('round-start')).toBeDisabled()
  await expect(page.getByTestId('round-start')).toHaveAttribute('title', /No active model/)
  for (const tip of await first.roundTooltips()) expect(tip).toMatch(/good start|leave it on|0 = off/)
  await first.noModel.getByTestId('no-model-train').click()
  await expect(page.getByTestId('train')).toBeVisible()
  await home.goHome()
})
