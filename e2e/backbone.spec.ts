/**
 * The backbone in browser mode: create a project from the UI, import images (one corrupt), see them in
 * the gallery, close and reopen from the recent list, and open the generated sample project.
 */
import { join } from 'node:path'
import { expect, test } from './fixtures'
import { writeCorruptPng, writePngs } from './support/images'

test('create a project, import images with one corrupt file, close and reopen from recent', async ({ page, home, gallery, workDir }) => {
  const name = `Backbone ${Date.now()}`
  const projectPath = join(workDir, 'backbone.labelloop')
  await home.createProject(name, projectPath, [
    { name: 'ground', color: '#7f7f7f' },
    { name: 'road', color: '#ffcc00' },
    { name: 'vehicle', color: '#ff0040' },
  ])
  await gallery.expectOpen(name)
  await expect(page.getByTestId('gallery-empty')).toBeVisible()

  const images = await writePngs(workDir, 'tile', 5)
  const corrupt = await writeCorruptPng(workDir, 'corrupt-tile.png')
  const report = await gallery.importFiles([...images, corrupt])
  await expect(report.getByTestId('report-imported')).toHaveText('5')
  await expect(report.getByTestId('report-failed')).toHaveText('1')
  const failure = report.getByTestId('report-failure')
  await expect(failure).toHaveCount(1)
  await expect(failure).toContainText('corrupt-tile.png')
  await gallery.closeImport()

  await gallery.expectTotal(5)
  await expect(gallery.tiles).toHaveCount(5)
  await gallery.expectNames(['tile-1.png', 'tile-2.png', 'tile-3.png', 'tile-4.png', 'tile-5.png'])
  await expect(gallery.count('unlabeled')).toHaveText('5')
  const firstThumb = gallery.tiles.first().locator('img')
  await expect.poll(() => firstThumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)

  await gallery.closeProject()
  await expect(home.recentItem(name)).toBeVisible()
  await home.recentItem(name).click()
  await gallery.expectOpen(name)
  await gallery.expectTotal(5)
  await expect(gallery.tiles).toHaveCount(5)
  await gallery.expectNames(['tile-1.png', 'tile-2.png', 'tile-3.png', 'tile-4.png', 'tile-5.png'])
})

test('opening a file that is not a project shows an error naming it', async ({ home, workDir }) => {
  const bogus = await writeCorruptPng(workDir, 'not-a-project.labelloop')
  await home.openByPath(bogus)
  await expect(home.error).toBeVisible()
  await expect(home.error).toContainText('not-a-project.labelloop')
  await expect(home.root).toBeVisible()
})

test('the New project form explains what is missing', async ({ page, home }) => {
  await home.createProject('', '', [{ name: 'a' }, { name: 'A' }])
  const form = page.getByTestId('new-project')
  await expect(form).toContainText('Give the project a name.')
  await expect(form).toContainText('"A" is already a class.')
  await expect(page.getByTestId('gallery')).toBeHidden()
})

test('the sample project opens with 40 images and their label statuses', async ({ page, home, gallery }) => {
  await home.openSample()
  await expect(gallery.root).toBeVisible({ timeout: 90_000 })
  await gallery.expectTotal(40)
  await expect(gallery.count('labeled')).toHaveText('8')
  await expect(gallery.count('partial')).toHaveText('4')
  await expect(gallery.count('unlabeled')).toHaveText('28')
  await expect(gallery.tiles.first()).toBeVisible()
  for (const status of ['labeled', 'partial', 'unlabeled']) {
    await expect(gallery.tiles.locator(`[data-status="${status}"]`).first()).toBeVisible()
  }

  await page.getByTestId('filter-labeled').click()
  await gallery.expectTotal(8)
  await expect(gallery.tiles).toHaveCount(8)
  await expect(gallery.tiles.locator('[data-status="labeled"]')).toHaveCount(8)
  await page.getByTestId('filter-clear').click()
  await gallery.expectTotal(40)
})
