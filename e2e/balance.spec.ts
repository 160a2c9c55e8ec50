/**
 * The Balance view in browser mode on the generated sample project: the chart draws, the rare vehicle
 * class is flagged with its numbers, the share axis switches to log, the per-image table sorts on the
 * server, and the class table's links open the gallery filtered by class. Writes docs/balance.png.
 */
import { join } from 'node:path'
import { expect, test } from './fixtures'
import { BalancePage } from './pages/balance-page'
import { repoRoot } from './support/host-process'

/** "12%", "0.41%", "—" → a number (— is 0). */
function shareOf(text: string): number {
  return text === '—' ? 0 : Number(text.replace('%', ''))
}

test('the sample project balance: chart, vehicle warning, log scale, sortable images, gallery filters', async ({ page, home, gallery }) => {
  await home.openSample()
  await expect(gallery.root).toBeVisible({ timeout: 90_000 })
  const balance = new BalancePage(page)
  await balance.open()

  await balance.expectChartDrawn()
  await expect(page.getByTestId('balance-totals')).toContainText('in 12 of 40 images')
  await expect(balance.warnings).toHaveCount(1)
  await expect(balance.warnings.first()).toHaveText(
    'vehicle: 0.1% of labeled pixels, in 12 of 12 images — label more of it, or train with focal loss, OHEM or copy-paste',
  )
  await expect(balance.recommendation).toContainText('Rare objects')
  await expect(balance.recommendation).toContainText('vehicle (0.1%)')
  const vehicle = page.getByTestId('class-row').filter({ hasText: 'vehicle' })
  await expect(vehicle.getByTestId('w-median')).toHaveText('49.1')

  await balance.setScale('linear')
  const linear = await balance.chartPixels()
  await balance.setScale('log')
  await expect.poll(() => balance.chartPixels()).not.toBe(linear)
  await balance.expectChartDrawn()

  // The table starts with the rarest class (vehicle), most of it first; clicking its header flips the order.
  await expect(balance.rows).toHaveCount(12)
  await expect(page.getByTestId('sort-class-3')).toContainText('↓')
  const descShares = (await balance.classColumn(3)).map(shareOf)
  expect(descShares).toEqual([...descShares].sort((a, b) => b - a))
  expect(descShares[0]).toBeGreaterThan(descShares[descShares.length - 1])
  const desc = await balance.rowNames()
  await page.getByTestId('sort-class-3').click()
  await expect(page.getByTestId('sort-class-3')).toContainText('↑')
  await expect.poll(() => balance.rowNames()).toEqual([...desc].reverse())
  await page.getByTestId('sort-class-2').click()
  await expect(page.getByTestId('sort-class-2')).toContainText('↓')
  await expect.poll(async () => {
    const shares = (await balance.classColumn(2)).map(shareOf)
    return shares.every((v, i) => i === 0 || shares[i - 1] >= v)
  }).toBe(true)
  await page.getByTestId('sort-name').click()
  await expect.poll(() => balance.rowNames()).toEqual([...desc].sort())
  await page.getByTestId('sort-class-3').click()
  await expect.poll(() => balance.rowNames()).toEqual(desc)

  await page.mouse.move(0, 0)
  await page.screenshot({ path: join(repoRoot, 'docs', 'balance.png') })

  await page.getByTestId('contains-3').click()
  await expect(gallery.root).toBeVisible()
  await gallery.expectTotal(12)
  await expect(page.getByTestId('filter-contains')).toHaveValue('3')
  await balance.open()
  await page.getByTestId('missing-3').click()
  await gallery.expectTotal(28)

  // A row opens its image in the editor when the app has one, else the gallery filtered by its class.
  await balance.open()
  await balance.rows.first().click()
  await expect(page).toHaveURL(/#\/(editor|gallery)/)
})
