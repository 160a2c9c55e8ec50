/**
 * The mask editor in browser mode: paint two classes with the mouse, erase, undo and redo, save, reload,
 * and check the stored mask's per-class pixel counts (read through the API) against what the editor
 * showed, then restore an earlier revision; a stroke followed at once by "next image" or by a page
 * reload is saved as well.
 */
import { join } from 'node:path'
import { expect, test } from './fixtures'
import type { EditorPage } from './pages/editor-page'
import type { GalleryPage } from './pages/gallery-page'
import type { HomePage } from './pages/home-page'
import { writePngs } from './support/images'

const CLASSES = [
  { name: 'water', color: '#2060ff' },
  { name: 'land', color: '#30c040' },
]

/** A new project with two classes and `count` generated 128² images; opens the first in the editor. */
async function projectInEditor(home: HomePage, gallery: GalleryPage, editor: EditorPage, workDir: string, count: number): Promise<void> {
  const name = `Editor ${Date.now()}`
  await home.createProject(name, join(workDir, 'editor.labelloop'), CLASSES)
  await gallery.expectOpen(name)
  await gallery.importFiles(await writePngs(workDir, 'scene', count, 128))
  await gallery.closeImport()
  await gallery.expectTotal(count)
  await gallery.tiles.filter({ hasText: 'scene-1.png' }).click()
  await editor.expectImage('scene-1.png')
  await editor.expectSaveStatus('saved')
  await editor.brushSize(10)
}

test('paint two classes, erase, undo and redo, save, reload: the stored counts match what was shown', async ({ page, home, gallery, editor, workDir }) => {
  await projectInEditor(home, gallery, editor, workDir, 1)
  const id = await editor.imageId()
  const total = 128 * 128

  await editor.selectClass(0)
  await editor.stroke([[0.2, 0.3], [0.8, 0.3], [0.8, 0.4]])
  await page.keyboard.press('2')
  await expect(page.getByTestId('class-1')).toHaveAttribute('aria-pressed', 'true')
  await editor.stroke([[0.2, 0.65], [0.8, 0.65]])
  await expect.poll(async () => (await editor.shownCounts(2)).counts.every((n) => n > 0)).toBe(true)
  const painted = await editor.shownCounts(2)
  expect(painted.unlabeled).toBe(total - painted.counts[0] - painted.counts[1])

  await editor.tool('eraser')
  await editor.stroke([[0.5, 0.1], [0.5, 0.9]])
  await expect.poll(async () => (await editor.shownCounts(2)).unlabeled).toBeGreaterThan(painted.unlabeled)
  const erased = await editor.shownCounts(2)
  expect(erased.counts[0]).toBeLessThan(painted.counts[0])
  expect(erased.counts[1]).toBeLessThan(painted.counts[1])
  expect(erased.counts[0]).toBeGreaterThan(0)
  expect(erased.counts[1]).toBeGreaterThan(0)

  await editor.undo()
  await editor.expectCounts(painted)
  await editor.redo()
  await editor.expectCounts(erased)

  await page.keyboard.press('Control+s')
  await editor.expectSaveStatus('saved')
  await expect(page.getByTestId('revision-item').first()).toBeVisible()

  await page.reload()
  await editor.expectImage('scene-1.png')
  await editor.expectCounts(erased)
  const stored = await editor.storedImage(id)
  expect(stored.classPixels).toEqual(erased.counts)
  expect(stored.labeledFraction).toBeCloseTo((erased.counts[0] + erased.counts[1]) / total, 6)

  // Paint more and save: a new revision; restoring the one before brings the saved mask back.
  const revisions = page.getByTestId('revision-item')
  const before = await revisions.count()
  await editor.selectClass(0)
  await editor.stroke([[0.1, 0.85], [0.9, 0.85]])
  await expect.poll(async () => (await editor.shownCounts(2)).counts[0]).toBeGreaterThan(erased.counts[0])
  await page.keyboard.press('Control+s')
  await expect(revisions).toHaveCount(before + 1)
  await revisions.nth(1).getByTestId('revision-restore').click()
  await editor.expectCounts(erased)
  await expect(revisions).toHaveCount(before + 2)
  await expect(revisions.first()).toContainText('current')
  await editor.expectSaveStatus('saved')
  expect((await editor.storedImage(id)).classPixels).toEqual(erased.counts)
})

test('a stroke followed at once by next image, or by a reload, is saved', async ({ page, home, gallery, editor, workDir }) => {
  await projectInEditor(home, gallery, editor, workDir, 2)
  const first = await editor.imageId()

  await editor.stroke([[0.3, 0.5], [0.7, 0.5]])
  await expect.poll(async () => (await editor.shownCounts(2)).counts[0]).toBeGreaterThan(0)
  const shown = await editor.shownCounts(2)
  await editor.next()
  await editor.expectImage('scene-2.png')
  expect((await editor.storedImage(first)).classPixels).toEqual(shown.counts)

  const second = await editor.imageId()
  await page.keyboard.press('2')
  await editor.stroke([[0.5, 0.2], [0.5, 0.8]])
  await expect.poll(async () => (await editor.shownCounts(2)).counts[1]).toBeGreaterThan(0)
  const beforeReload = await editor.shownCounts(2)
  await page.reload()
  await expect.poll(async () => (await editor.storedImage(second)).classPixels).toEqual(beforeReload.counts)
  await editor.expectImage('scene-2.png')
  await editor.expectCounts(beforeReload)
})
