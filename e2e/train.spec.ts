/**
 * The Train view in browser mode on the generated sample project: a short run started from the UI with
 * Advanced options shows progress, metrics, curves and the confusion matrix, and finishes; a second run
 * is cancelled; while it trains, the app stays usable (a stroke painted in the editor is saved, or the
 * gallery navigates when there is no editor) and shows the active model's prediction and confidence as an
 * overlay. Writes docs/train-running.png and docs/train-results.png.
 */
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { EditorPage } from './pages/editor-page'
import { TrainPage } from './pages/train-page'
import { expect, test } from './fixtures'
import { repoRoot } from './support/host-process'

/** Small and fast: two cores finish an epoch of this in about a second, so six epochs leave time to watch the progress. */
const SHORT = { epochs: 6, tileSize: 64, batchSize: 4, 'model.depth': 3, 'model.baseFilters': 8, patience: 0 }

/** A screenshot of the whole Train view (its panel scrolls, so the viewport grows for the shot). */
async function screenshot(page: Page, name: string): Promise<void> {
  const size = page.viewportSize()
  const height = await page.getByTestId('train').evaluate((el) => el.scrollHeight + 44)
  await page.setViewportSize({ width: 1400, height: Math.min(2400, height) })
  await page.mouse.move(0, 0)
  await page.screenshot({ path: join(repoRoot, 'docs', name) })
  if (size) await page.setViewportSize(size)
}

test('train from the UI: progress, metrics and confusion matrix; cancel a second run; the editor stays usable', async ({ page, home, gallery }) => {
  test.setTimeout(420_000)
  await home.openSample()
  await expect(gallery.root).toBeVisible({ timeout: 90_000 })
  const train = new TrainPage(page)
  await train.open()

  // Auto (the recipe race) is pre-selected; the sample's vehicle class is under 1%, so the share rule marks Rare objects.
  await expect(page.getByTestId('preset-auto')).toHaveAttribute('aria-checked', 'true')
  await expect(page.getByTestId('preset-rare-objects').getByTestId('preset-recommended')).toBeVisible()
  await page.getByTestId('preset-balanced').click()
  await train.setOptions(SHORT)
  await expect(page.getByTestId('opt-loss.name').locator('select')).toHaveValue('ce-dice')

  const first = await train.start()
  await expect(page.getByTestId('run-backend')).not.toContainText('choosing', { timeout: 60_000 })
  await expect(page.getByTestId('epoch-batches')).toContainText(/batch \d+ \/ \d+/, { timeout: 60_000 })
  await expect(train.row(first)).toHaveAttribute('data-status', 'running')

  // Metrics of the first epoch while the run goes on.
  await expect(page.getByTestId('class-metrics-row')).toHaveCount(4, { timeout: 120_000 })
  await train.expectCanvasDrawn('confusion-matrix')
  await train.expectCanvasDrawn('chart-iou')
  await expect(page.getByTestId('run-times')).toContainText('per epoch')
  // The screenshot while training shows a later epoch under way (taken anyway if that moment is missed).
  const midEpoch = async (): Promise<boolean> => {
    const m = /batch (\d+) \/ (\d+)/.exec((await page.getByTestId('epoch-batches').textContent().catch(() => '')) ?? '')
    const share = m ? Number(m[1]) / Number(m[2]) : 0
    return (await page.getByTestId('run-phase').textContent().catch(() => '')) === 'training' && share > 0.15 && share < 0.9
  }
  await expect.poll(midEpoch, { timeout: 90_000, intervals: [200] }).toBe(true).catch(() => undefined)
  if ((await train.row(first).getAttribute('data-status')) === 'running') await screenshot(page, 'train-running.png')

  await train.expectStatus(first, 'completed', 180_000)
  await expect(train.progress).toBeHidden()
  await expect(train.row(first).getByTestId('run-best')).toContainText(/macro-F1 \d\.\d{3} @ epoch \d/)
  await train.expectCanvasDrawn('chart-loss')
  await train.expectCanvasDrawn('chart-f1')
  await train.expectCanvasDrawn('confusion-matrix')
  await expect(page.getByTestId('guidance-item').first()).toBeVisible()
  const run = await train.call<{ epochs: unknown[]; config: { epochs: number; tileSize: number; preset: string } }>('runs:get', { id: first })
  expect(run.epochs).toHaveLength(6)
  expect(run.config).toMatchObject({ epochs: 6, tileSize: 64, preset: 'balanced' })

  // The newest finished run is the active model until another is chosen.
  await expect(train.row(first).getByTestId('run-active')).toBeVisible()
  await expect(page.getByTestId('active-model')).toHaveText('Active model: run #1')
  await screenshot(page, 'train-results.png')

  // The active model predicts every image into a pseudo-label round: the editor's overlay shows it.
  const predicted = await train.call<{ status: string; images: number }>('predict:start', { jobId: 'e2e-train-predict', images: 'all' })
  expect(predicted).toMatchObject({ status: 'done', images: 40 })

  // A second, longer run: the app stays usable while it trains, then it is cancelled.
  await train.setOptions({ epochs: 50 })
  const second = await train.start()
  await expect(page.getByTestId('epoch-batches')).toContainText(/batch \d+ \/ \d+/, { timeout: 60_000 })
  if (await page.getByTestId('nav-editor').count()) {
    const editor = new EditorPage(page)
    await page.getByTestId('nav-gallery').click()
    await expect(gallery.tiles.first()).toBeVisible()
    await page.getByTestId('nav-editor').click()
    await expect(editor.stage).toHaveAttribute('data-ready', 'true')
    const id = await editor.imageId()
    const before = await train.call<unknown[]>('masks:revisions', { imageId: id })
    await editor.selectClass(1)
    await editor.stroke([[0.3, 0.3], [0.7, 0.4]])
    await page.keyboard.press('Control+s')
    await editor.expectSaveStatus('saved')
    await expect.poll(async () => (await train.call<unknown[]>('masks:revisions', { imageId: id })).length).toBe(before.length + 1)

    await page.getByTestId('prediction-classes').click()
    await expect(page.getByTestId('prediction-note')).toContainText('run #1')
    await train.expectCanvasDrawn('prediction-canvas', 1000)
    await page.getByTestId('prediction-confidence').click()
    await expect(page.getByTestId('prediction-canvas')).toHaveAttribute('data-mode', 'confidence')
    await train.expectCanvasDrawn('prediction-canvas', 1000)
    await page.getByTestId('prediction-off').click()
    await expect(page.getByTestId('prediction-canvas')).toBeHidden()
  } else {
    await page.getByTestId('nav-gallery').click()
    await expect(gallery.tiles.first()).toBeVisible()
  }
  await train.open()
  await expect(train.row(second)).toHaveAttribute('data-status', 'running')
  await page.getByTestId('train-cancel').click()
  await train.expectStatus(second, 'cancelled', 60_000)
  await expect(train.progress).toBeHidden()

  // The two runs side by side: curves overlaid and a per-class table for each run that finished an epoch.
  await train.row(first).getByTestId('run-compare').check()
  await train.row(second).getByTestId('run-compare').check()
  const compare = page.getByTestId('run-compare-panel')
  await expect(compare).toContainText(`Run #${first} (solid) vs run #${second} (dashed)`)
  await train.expectCanvasDrawn('chart-iou')
  await expect(compare.getByTestId('class-metrics').first()).toContainText(`Run #${first}`)
  await compare.getByTestId('compare-close').click()
  await expect(compare).toBeHidden()
})
