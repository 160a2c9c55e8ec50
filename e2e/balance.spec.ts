/**
 * The Balance view in browser mode on the generated sample project: the chart draws, the rare vehicle
 * class is flagged with its numbers, the share axis switches to log, the per-image table sorts on the
 * server, and the class table's links open the gallery filtered by class. Writes docs/balance.png. Then,
 * in a project of its own, a mask saved through the contract shows up without reloading the view.
 */
import { join } from 'node:path'
import { encode } from 'fast-png'
import { expect, test } from './fixtures'
import { BalancePage } from './pages/balance-page'
import { repoRoot } from './support/host-process'
import { writePngs } from './support/images'

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

test('the view refreshes when a mask is saved', async ({ page, home, gallery, workDir }) => {
  await home.createProject(`Balance ${Date.now()}`, join(workDir, 'balance.labelloop'), [
    { name: 'ground', color: '#7f7f7f' },
    { name: 'road', color: '#ffcc00' },
    { name: 'vehicle', color: '#ff0040' },
  ])
  await expect(gallery.root).toBeVisible()
  await gallery.importFiles(await writePngs(workDir, 'tile', 2, 64))
  await gallery.closeImport()
  const balance = new BalancePage(page)
  await balance.open()
  await expect(page.getByTestId('balance-no-warnings')).toContainText('No labeled pixels yet')
  await expect(page.getByTestId('balance-totals')).toContainText('in 0 of 2 images')

  // Left half ground, right half road, one 4×4 vehicle: saved as the editor would, over the web host.
  const data = new Uint8Array(64 * 64)
  for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) data[y * 64 + x] = x < 32 ? 0 : y < 4 && x >= 60 ? 2 : 1
  const pngBase64 = Buffer.from(encode({ width: 64, height: 64, data, channels: 1, depth: 8 })).toString('base64')
  await page.evaluate(async (b64) => {
    const call = async (method: string, input: unknown): Promise<{ items: Array<{ id: number }> }> => {
      const res = await fetch(`/api/call/${method}`, {
        method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input),
      })
      const body = (await res.json()) as { ok: boolean; result: { items: Array<{ id: number }> } }
      if (!body.ok) throw new Error(`${method} failed: ${JSON.stringify(body)}`)
      return body.result
    }
    const list = await call('images:list', { sort: 'name', limit: 1 })
    await call('masks:save', { imageId: list.items[0].id, pngBase64: b64 })
  }, pngBase64)

  await expect(page.getByTestId('balance-totals')).toContainText('in 1 of 2 images')
  await expect(balance.warnings).toHaveCount(1)
  await expect(balance.warnings.first()).toHaveText(/^vehicle: 0\.4% of labeled pixels, in 1 of 1 image — /)
  await expect(balance.rows).toHaveCount(1)
  await expect(balance.rows.first()).toHaveAttribute('data-name', 'tile-1.png')
  await balance.expectChartDrawn()
})
