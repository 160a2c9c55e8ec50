/**
 * Self-supervised pretraining from the Train view in browser mode on a fresh copy of the sample project
 * (so the run ids other specs expect in the shared sample stay theirs): a
 * very short pretraining started from the panel shows, once done, the summary of the pretrained
 * encoder; the launcher then offers "Start from pretrained encoder", which gives the run the encoder's
 * U-Net shape, and the tiny run started from it is listed as "pretrained". A second, long pretraining
 * shows its progress and, cancelled from its progress panel, leaves the first encoder in use.
 */
import { join } from 'node:path'
import { TrainPage } from './pages/train-page'
import { expect, test } from './fixtures'

/** The smallest useful pretraining: two epochs of a few steps of 64 px tiles on a 3-level, 8-wide U-Net. */
const PRETRAIN = { epochs: 2, stepsPerEpoch: 4, tileSize: 64, batchSize: 4, depth: 3, baseFilters: 8, temperature: 0.5 }
/** A one-epoch run; its model comes from the encoder through the toggle. */
const RUN = { epochs: 1, tileSize: 64, batchSize: 4, patience: 0 }

test('pretrain on all images from the UI, then train a run from the pretrained encoder', async ({ page, home, workDir }) => {
  test.setTimeout(180_000)
  await expect(home.root).toBeVisible()
  const train = new TrainPage(page)
  await train.call('project:openSample', { fresh: true, path: join(workDir, 'sample.labelloop') })
  await page.reload()
  await expect(page.getByTestId('nav-train')).toBeVisible({ timeout: 60_000 })
  await train.open()

  await expect(page.getByTestId('pretrain-none')).toBeVisible()
  await expect(page.getByTestId('train-init-pretrained')).toHaveCount(0)
  await train.setPretrainOptions(PRETRAIN)
  const id = await train.startPretrain()

  // One job at a time, so Train waits. (This run's 8 steps can finish within a second: its progress is
  // checked on the long pretraining below.)
  await expect(page.getByTestId('train-start')).toBeDisabled()

  const summary = page.getByTestId('pretrain-summary')
  await expect(summary).toHaveAttribute('data-status', 'completed', { timeout: 90_000 })
  await expect(page.getByTestId('pretrain-progress')).toBeHidden()
  await expect(summary).toContainText(/Pretrained encoder: \d{4}-\d\d-\d\d \d\d:\d\d · 2 epochs · final NT-Xent \d+\.\d{3} · 40 images · U-Net 3×8/)
  const latest = await train.call<{ id: number; hasEncoder: boolean; losses: number[] }>('pretrain:latest', {})
  expect(latest).toMatchObject({ id, hasEncoder: true })
  expect(latest.losses).toHaveLength(2)
  await expect(summary).toContainText(`final NT-Xent ${latest.losses[1].toFixed(3)}`)

  // The toggle starts the run from the encoder and gives it the encoder's U-Net shape.
  const toggle = page.getByTestId('train-init-pretrained').locator('input')
  await expect(page.getByTestId('train-start')).toBeEnabled()
  await toggle.check()
  await train.setOptions(RUN)
  await expect(page.getByTestId('opt-init').locator('select')).toHaveValue('pretrained')
  await expect(page.getByTestId('opt-model.depth').locator('input')).toHaveValue('3')
  await expect(page.getByTestId('opt-model.baseFilters').locator('input')).toHaveValue('8')
  const runId = await train.start()
  await expect(page.getByTestId('pretrain-start')).toBeDisabled()
  await expect(train.row(runId).getByTestId('run-init')).toHaveText('pretrained')
  await train.expectStatus(runId, 'completed', 120_000)
  const run = await train.call<{ config: { init: unknown; model: { depth: number; baseFilters: number } }; epochs: unknown[] }>('runs:get', { id: runId })
  expect(run.config).toMatchObject({ init: 'pretrained', model: { depth: 3, baseFilters: 8 } })
  expect(run.epochs).toHaveLength(1)
  // The pretraining run stays out of the runs list.
  await expect(train.runs).toHaveCount(1)
  await expect(toggle).toBeChecked()

  // A longer pretraining shows its progress (steps, loss, backend) and, cancelled from its progress
  // panel, stores nothing: runs keep the first encoder.
  await train.setPretrainOptions({ epochs: 50 })
  const second = await train.startPretrain()
  await expect(page.getByTestId('pretrain-steps')).toContainText(/step \d \/ 4 · NT-Xent \d+\.\d{3}/, { timeout: 60_000 })
  await expect(page.getByTestId('pretrain-backend')).not.toContainText('choosing')
  await page.getByTestId('pretrain-cancel').click()
  await expect(summary).toHaveAttribute('data-status', 'cancelled', { timeout: 30_000 })
  await expect(summary).toContainText(`Latest pretraining:`)
  await expect(page.getByTestId('pretrain-older')).toContainText(`Runs still start from the encoder of pretraining #${id}`)
  await expect(toggle).toBeChecked()
  expect(await train.call<{ id: number; status: string; hasEncoder: boolean }>('pretrain:latest', {})).toMatchObject({ id: second, status: 'cancelled', hasEncoder: false })
})
