/** Import paths beyond plain files: a masks folder (one good, one of the wrong size) and drag and drop. */
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, test } from './fixtures'
import { writeMask, writePngs } from './support/images'

test('images with a masks folder: the matching mask labels its image, a wrong-size one is reported', async ({ page, home, gallery, workDir }) => {
  const name = `Masks ${Date.now()}`
  await home.createProject(name, join(workDir, 'masks.labelloop'), [{ name: 'ground' }, { name: 'water' }])
  await gallery.expectOpen(name)
  const images = await writePngs(workDir, 'scene', 2, 64)
  const masksDir = join(workDir, 'masks')
  await mkdir(masksDir)
  await writeMask(masksDir, 'scene-1.png', 64, 1)
  await writeMask(masksDir, 'scene-2.png', 32, 0)

  const report = await gallery.importWithMasks(images, masksDir)
  await expect(report.getByTestId('report-imported')).toHaveText('2')
  await expect(report.getByTestId('report-masks')).toHaveText('1')
  const failure = report.getByTestId('report-failure')
  await expect(failure).toHaveCount(1)
  await expect(failure).toContainText('scene-2.png')
  await gallery.closeImport()

  await gallery.expectTotal(2)
  await expect(gallery.count('labeled')).toHaveText('1')
  await expect(gallery.count('unlabeled')).toHaveText('1')
  await page.getByTestId('filter-contains').selectOption({ label: 'Contains: water' })
  await gallery.expectTotal(1)
  await gallery.expectNames(['scene-1.png'])
})

test('files dropped on the gallery open the import dialog with them selected', async ({ home, gallery, workDir }) => {
  const name = `Drop ${Date.now()}`
  await home.createProject(name, join(workDir, 'drop.labelloop'), [{ name: 'thing' }])
  await gallery.expectOpen(name)
  const paths = await writePngs(workDir, 'dropped', 3, 48)
  await gallery.dropFiles(await Promise.all(paths.map(async (p, i) => ({ name: `dropped-${i + 1}.png`, bytes: await readFile(p) }))))
  await expect(gallery.dialog).toBeVisible()
  await expect(gallery.dialog.getByTestId('import-selection')).toContainText('3 files')
  await gallery.dialog.getByTestId('import-start').click()
  await expect(gallery.dialog.getByTestId('report-imported')).toHaveText('3')
  await gallery.closeImport()
  await gallery.expectNames(['dropped-1.png', 'dropped-2.png', 'dropped-3.png'])
})
